/* SPDX-License-Identifier: MIT */
/*
 * seq_check: independent checks on captures of gen_seq frames. No snic
 * code: it reads pcaps with libpcap and does its own arithmetic.
 *
 *   seq_check order FILE.pcap COUNT
 *       FILE holds exactly COUNT gen_seq frames of one stream, with
 *       sequence numbers 0..COUNT-1 in order (no loss, no duplicate, no
 *       reordering). Prints the first problem.
 *   seq_check rate FILE.pcap --src MAC --rate BPS --burst BYTES [--wire]
 *                  [--peak BPS --peak-burst BYTES] [--skip-ns T] [--min-span-ns T]
 *                  [--tol-pct P]
 *       Frames from MAC, timestamps in ns: the rate between the first
 *       frame at least T after the first one (default 100 ms: past the
 *       initial burst) and the last, as sum of costs after the first of
 *       them over the time between them; and the largest excess over
 *       burst + rate * t in any window (exact, 128-bit). Exit 0 if the
 *       rate is within P % (default 0.5) and no window exceeds a bucket.
 *       Cost: frame bytes, or with --wire max(len, 60) + 24.
 *       Prints "frames N span_ns S rate_bps R error_pct E excess_bytes X".
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct frame {
	uint64_t ts;
	uint32_t cost;
};

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static pcap_t *open_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p)
		fprintf(stderr, "seq_check: %s: %s\n", path, err);
	return p;
}

/* Offset of the "SNSQ" payload, or 0 if the frame is not a gen_seq frame. */
static size_t payload(const uint8_t *d, uint32_t len)
{
	size_t at = 12;
	if (len >= 18 && be(d + 12, 2) == 0x8100)
		at = 16;
	if (len < at + 26 || be(d + at, 2) != 0x88b6 || memcmp(d + at + 2, "SNSQ", 4))
		return 0;
	return at + 2;
}

static int check_order(const char *path, unsigned long long want)
{
	pcap_t *p = open_pcap(path);
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long long n = 0;
	int stream = -1, rc;

	if (!p)
		return 1;
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		size_t at = payload(d, h->caplen);
		if (!at) {
			printf("frame %llu is not a gen_seq frame\n", n);
			return 1;
		}
		int s = (int)be(d + at + 4, 2);
		uint64_t seq = be(d + at + 8, 8);
		if (stream < 0)
			stream = s;
		if (s != stream) {
			printf("frame %llu belongs to stream %d, not %d\n", n, s, stream);
			return 1;
		}
		if (seq != n) {
			printf("frame %llu carries seq %llu: %s\n", n, (unsigned long long)seq,
			       seq < n ? "duplicate or reordered" : "frames lost or reordered");
			return 1;
		}
		n++;
	}
	pcap_close(p);
	if (n != want) {
		printf("%llu frames in order, %llu expected\n", n, want);
		return 1;
	}
	printf("%llu frames, seq 0..%llu in order\n", n, n ? n - 1 : 0);
	return 0;
}

/* Largest excess, in bytes, of what frames i..j carry over burst + rate *
 * (t_j - t_i), over all windows i <= j; negative when every window fits.
 * Exact in units of 1e-9 bit: 8e9 * bytes - rate * ns, in 128 bits. */
static double max_excess(const struct frame *f, size_t n, uint64_t rate, uint64_t burst)
{
	__int128 best = 0, min_g = 0, s = 0;
	for (size_t j = 0; j < n; j++) {
		/* g(i) = 8e9 * S(i-1) - rate * t_i ; f(j) = 8e9 * S(j) - rate * t_j */
		__int128 g = (__int128)8000000000ll * s - (__int128)rate * f[j].ts;
		if (j == 0 || g < min_g)
			min_g = g;
		s += f[j].cost;
		__int128 fj = (__int128)8000000000ll * s - (__int128)rate * f[j].ts;
		if (fj - min_g > best)
			best = fj - min_g;
	}
	return (double)best / 8e9 - (double)burst;
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

static int check_rate(const char *path, int argc, char **argv)
{
	uint8_t src[6];
	uint64_t rate = 0, burst = 0, peak = 0, peak_burst = 0;
	uint64_t skip = 100000000ull, min_span = 1000000000ull;
	double tol = 0.5;
	int wire = 0, have_src = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(a, "--wire")) {
			wire = 1;
			continue;
		}
		i++;
		if (!strcmp(a, "--src"))
			have_src = parse_mac(v, src) == 0;
		else if (!strcmp(a, "--rate"))
			rate = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--burst"))
			burst = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--peak"))
			peak = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--peak-burst"))
			peak_burst = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--skip-ns"))
			skip = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--min-span-ns"))
			min_span = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--tol-pct"))
			tol = strtod(v, NULL);
		else {
			fprintf(stderr, "seq_check rate: unknown option %s\n", a);
			return 2;
		}
	}
	if (!have_src || !rate || !burst) {
		fprintf(stderr, "seq_check rate needs --src, --rate and --burst\n");
		return 2;
	}
	pcap_t *p = open_pcap(path);
	if (!p)
		return 1;
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t n = 0, cap = 0;
	struct frame *f = NULL;
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen < 12 || memcmp(d + 6, src, 6))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			f = realloc(f, cap * sizeof(*f));
			if (!f)
				return 1;
		}
		f[n].ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		f[n].cost = wire ? (h->len < 60 ? 60 : h->len) + 24 : h->len;
		n++;
	}
	pcap_close(p);
	size_t a = 0;
	while (a < n && f[a].ts - f[0].ts < skip)
		a++;
	if (n < 2 || a + 1 >= n || f[n - 1].ts - f[a].ts < min_span) {
		printf("frames %zu: too few or too short a span to measure (need %llu ns after "
		       "skipping %llu ns)\n", n, (unsigned long long)min_span,
		       (unsigned long long)skip);
		free(f);
		return 1;
	}
	uint64_t bytes = 0, span = f[n - 1].ts - f[a].ts;
	for (size_t i = a + 1; i < n; i++)
		bytes += f[i].cost;
	double measured = (double)bytes * 8e9 / (double)span;
	double err = (measured - (double)rate) / (double)rate * 100.0;
	double ex = max_excess(f, n, rate, burst);
	double pex = peak ? max_excess(f, n, peak, peak_burst) : -1;
	printf("frames %zu span_ns %llu rate_bps %.0f error_pct %.4f excess_bytes %.0f",
	       n - a, (unsigned long long)span, measured, err, ex > 0 ? ex : 0);
	if (peak)
		printf(" peak_excess_bytes %.0f", pex > 0 ? pex : 0);
	printf("\n");
	free(f);
	if (err > tol || err < -tol || ex > 0 || pex > 0)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "order"))
		return check_order(argv[2], strtoull(argv[3], NULL, 10));
	if (argc >= 3 && !strcmp(argv[1], "rate"))
		return check_rate(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: seq_check order FILE COUNT | seq_check rate FILE --src MAC "
		"--rate BPS --burst BYTES [--wire] [--peak BPS --peak-burst B] [--skip-ns T] "
		"[--min-span-ns T] [--tol-pct P]\n");
	return 2;
}
