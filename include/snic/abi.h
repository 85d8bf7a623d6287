/* SPDX-License-Identifier: MIT */
/* The whole snic ABI: include this one header. See docs/abi.md. */
#ifndef SNIC_ABI_H
#define SNIC_ABI_H

#include "types.h"
#include "regs.h"
#include "cls.h"
#include "ring.h"
#include "admin.h"
#include "caps.h"
#include "stats.h"
#include "team.h"
#include "l2.h"
#include "rss.h"

#endif
