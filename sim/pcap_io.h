/* SPDX-License-Identifier: MIT */
/* Frames in and out of the simulator as pcap files (libpcap). */
#ifndef SNIC_SIM_PCAP_IO_H
#define SNIC_SIM_PCAP_IO_H

#include <stdint.h>

struct sim_frame {
	uint8_t *data;
	uint32_t len;
	uint64_t ts_ns;  /* capture timestamp */
};

struct sim_trace {
	struct sim_frame *frames;
	uint32_t count;
	uint32_t truncated;  /* records whose capture was shorter than the frame */
};

/* Load every frame of a pcap file; truncated records are skipped and counted. */
int sim_trace_load(struct sim_trace *t, const char *path);
void sim_trace_free(struct sim_trace *t);

struct sim_pcap_out;
struct sim_pcap_out *sim_pcap_open(const char *path);
void sim_pcap_write(struct sim_pcap_out *o, const uint8_t *data, uint32_t len, uint64_t ts_ns);
void sim_pcap_close(struct sim_pcap_out *o);

#endif
