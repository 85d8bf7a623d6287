/* SPDX-License-Identifier: MIT */
/* What every NIC back end shares: saying why a call failed. */
#include <stdarg.h>
#include <stdio.h>

#include "nic.h"

int nic_fail(struct nic *n, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->err, sizeof(n->err), fmt, ap);
	va_end(ap);
	return rc;
}
