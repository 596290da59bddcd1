/*
 * The one printf-style formatter of the kernel (and, compiled again, of
 * the user C library). It never allocates and handles 64-bit values, which
 * on i386 pulls in libgcc's __udivdi3.
 */
#include "lib/format.h"

#include <stdint.h>
#include <stdbool.h>

struct spec {
	bool left;	/* '-' */
	bool zero;	/* '0' */
	bool plus;	/* '+' */
	bool space;	/* ' ' */
	int width;
	int precision;	/* -1: none */
};

struct out {
	format_put_fn put;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->put(o->ctx, c);
	o->count++;
}

static void emit_padding(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Emits an already converted number: sign/prefix, then digits. */
static void emit_number(struct out *o, const struct spec *sp, const char *prefix,
			const char *digits, int ndigits)
{
	int plen = 0;
	int zeros = 0;

	while (prefix[plen])
		plen++;
	if (sp->precision >= 0 && sp->precision > ndigits)
		zeros = sp->precision - ndigits;
	int body = plen + zeros + ndigits;
	int pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left && !(sp->zero && sp->precision < 0))
		emit_padding(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	if (!sp->left && sp->zero && sp->precision < 0)
		emit_padding(o, '0', pad);
	emit_padding(o, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		emit(o, digits[i]);
	if (sp->left)
		emit_padding(o, ' ', pad);
}

static void format_unsigned(struct out *o, const struct spec *sp, uint64_t v,
			    unsigned base, bool upper, const char *prefix)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	char digits[24];
	int n = 0;

	/* A precision of 0 with the value 0 prints no digits at all. */
	if (!(v == 0 && sp->precision == 0)) {
		do {
			tmp[n++] = set[v % base];
			v /= base;
		} while (v);
	}
	for (int i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];
	emit_number(o, sp, prefix, digits, n);
}

static void format_signed(struct out *o, const struct spec *sp, int64_t v)
{
	const char *prefix = "";
	uint64_t mag;

	if (v < 0) {
		prefix = "-";
		mag = (uint64_t)0 - (uint64_t)v;
	} else {
		if (sp->plus)
			prefix = "+";
		else if (sp->space)
			prefix = " ";
		mag = (uint64_t)v;
	}
	format_unsigned(o, sp, mag, 10, false, prefix);
}

static void format_string(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	int pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		emit_padding(o, ' ', pad);
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (sp->left)
		emit_padding(o, ' ', pad);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, va_list *ap, struct spec *sp,
			      enum length *len)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)
				sp->precision = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->precision = sp->precision * 10 + (*f++ - '0');
		}
	}
	*len = LEN_INT;
	if (f[0] == 'h' && f[1] == 'h') {
		*len = LEN_CHAR;
		f += 2;
	} else if (f[0] == 'h') {
		*len = LEN_SHORT;
		f++;
	} else if (f[0] == 'l' && f[1] == 'l') {
		*len = LEN_LLONG;
		f += 2;
	} else if (f[0] == 'l') {
		*len = LEN_LONG;
		f++;
	} else if (f[0] == 'j') {
		*len = LEN_LLONG;
		f++;
	} else if (f[0] == 'z' || f[0] == 't') {
		*len = LEN_SIZE;
		f++;
	}
	return f;
}

int vformat(format_put_fn put, void *ctx, const char *fmt, va_list ap_in)
{
	struct out o = { .put = put, .ctx = ctx };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		struct spec sp;
		enum length len;

		f = parse_spec(f + 1, &ap, &sp, &len);
		switch (*f) {
		case 'd':
		case 'i':
			format_signed(&o, &sp, fetch_signed(&ap, len));
			break;
		case 'u':
			format_unsigned(&o, &sp, fetch_unsigned(&ap, len), 10, false, "");
			break;
		case 'x':
			format_unsigned(&o, &sp, fetch_unsigned(&ap, len), 16, false, "");
			break;
		case 'X':
			format_unsigned(&o, &sp, fetch_unsigned(&ap, len), 16, true, "");
			break;
		case 'o':
			format_unsigned(&o, &sp, fetch_unsigned(&ap, len), 8, false, "");
			break;
		case 'p': {
			struct spec psp = sp;

			psp.precision = 2 * (int)sizeof(void *);
			format_unsigned(&o, &psp, (uintptr_t)va_arg(ap, void *), 16, false, "0x");
			break;
		}
		case 's':
			format_string(&o, &sp, va_arg(ap, const char *));
			break;
		case 'c': {
			int pad = sp.width > 1 ? sp.width - 1 : 0;

			if (!sp.left)
				emit_padding(&o, ' ', pad);
			emit(&o, (char)va_arg(ap, int));
			if (sp.left)
				emit_padding(&o, ' ', pad);
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print it and stop. */
			emit(&o, '%');
			va_end(ap);
			return o.count;
		default:
			/* Unknown conversion: show it verbatim, so the bug is visible. */
			emit(&o, '%');
			emit(&o, *f);
			break;
		}
	}
	va_end(ap);
	return o.count;
}

struct buffer_sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buffer_put(void *ctx, char c)
{
	struct buffer_sink *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink b = { .buf = buf, .size = size };
	int n = vformat(buffer_put, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
