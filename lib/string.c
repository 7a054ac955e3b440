// SPDX-License-Identifier: GPL-2.0
/*
 * The freestanding C string functions the kernel (and the compiler, which
 * may emit calls to memcpy/memset/memmove/memcmp on its own) relies on.
 *
 * memcpy, memmove and memset are written with "rep movsb/stosb": besides
 * being fast on every CPU with ERMSB, that keeps gcc from recognizing a
 * byte loop as a memcpy idiom and compiling memcpy into a call to itself.
 */
#include <proteus/compiler.h>
#include <proteus/string.h>

/*
 * Quadwords first, then the tail bytes: where every rep iteration is
 * emulated (KVM's emulator here) or counted (-icount), 8 bytes a step
 * is 8 times cheaper than rep movsb.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n / 8, b = n % 8;

	asm volatile("rep movsq\n\t"
		     "movq %[b], %%rcx\n\t"
		     "rep movsb"
		     : "+D"(d), "+S"(src), "+c"(q)
		     : [b] "r"(b)
		     : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* A forward copy is safe unless dst starts inside [src, src + n). */
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);

	/* Copy backwards, from the last byte down, with DF set. */
	d += n - 1;
	s += n - 1;
	asm volatile("std\n\t"
		     "rep movsb\n\t"
		     "cld"
		     : "+D"(d), "+S"(s), "+c"(n)
		     : : "memory");
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	void *d = s;
	size_t q = n / 8, b = n % 8;
	u64 v = (u8)c * 0x0101010101010101ULL;

	asm volatile("rep stosq\n\t"
		     "movq %[b], %%rcx\n\t"
		     "rep stosb"
		     : "+D"(d), "+c"(q)
		     : "a"(v), [b] "r"(b)
		     : "memory");
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	/* The terminating NUL counts as part of the string, as in C. */
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/*
 * Copy at most size - 1 bytes and always terminate (when size > 0).
 * Returns strlen(src), so truncation is detected by a result >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = MIN(len, size - 1);

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Append src to the string in dst, truncating to size; the length it tried. */
size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(dst, size);

	if (len == size)
		return len + strlen(src);
	return len + strlcpy(dst + len, src, size - len);
}
