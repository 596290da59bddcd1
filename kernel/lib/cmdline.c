/* Command-line parsing: table-driven, so adding an option is one line. */
#include "lib/cmdline.h"

#include "lib/compiler.h"
#include "lib/format.h"
#include "lib/string.h"

enum option_kind { OPTION_STRING, OPTION_FLAG };

struct option {
	const char *name;
	enum option_kind kind;
	size_t offset;
};

#define STRING_OPTION(n) { #n, OPTION_STRING, offsetof(struct boot_options, n) }
#define FLAG_OPTION(n) { #n, OPTION_FLAG, offsetof(struct boot_options, n) }

static const struct option options[] = {
	STRING_OPTION(test),
	STRING_OPTION(bench),
	STRING_OPTION(crash),
	STRING_OPTION(init),
	STRING_OPTION(args),
	STRING_OPTION(acpi),
	FLAG_OPTION(trace),
	FLAG_OPTION(quiet),
};

struct warner {
	cmdline_warn_fn fn;
	void *ctx;
	int count;
};

#define WARN_WORD_MAX 48	/* longer words are cut in warnings */

static void warn(struct warner *w, const char *fmt, const char *word, size_t len)
{
	char msg[128];

	ksnprintf(msg, sizeof(msg), fmt, (int)MIN(len, (size_t)WARN_WORD_MAX), word);
	if (w->fn)
		w->fn(w->ctx, msg);
	w->count++;
}

static const struct option *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
			return &options[i];
	return NULL;
}

static void apply_word(const char *word, size_t len, struct boot_options *opts,
		       struct warner *w)
{
	const char *eq = memchr(word, '=', len);
	size_t name_len = eq ? (size_t)(eq - word) : len;
	const struct option *opt = find_option(word, name_len);

	if (!opt) {
		warn(w, "unknown option '%.*s' ignored", word, len);
		return;
	}
	char *field = (char *)opts + opt->offset;

	if (opt->kind == OPTION_FLAG) {
		if (eq) {
			warn(w, "option '%.*s' takes no value; ignored", word, len);
			return;
		}
		*(bool *)field = true;
		return;
	}
	if (!eq) {
		warn(w, "option '%.*s' needs a value (name=value); ignored", word, len);
		return;
	}
	size_t value_len = len - name_len - 1;

	if (value_len >= CMDLINE_VALUE_MAX) {
		warn(w, "option '%.*s': value too long; ignored", word, len);
		return;
	}
	memcpy(field, eq + 1, value_len);
	field[value_len] = '\0';
}

int cmdline_parse(const char *cmdline, struct boot_options *opts, cmdline_warn_fn fn, void *ctx)
{
	struct warner w = { .fn = fn, .ctx = ctx };
	const char *p = cmdline;
	bool first = true;

	*opts = (struct boot_options){ 0 };
	memcpy(opts->init, "init", sizeof("init"));
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *word = p;

		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (!(first && *word == '/'))
			apply_word(word, (size_t)(p - word), opts, &w);
		first = false;
	}
	return w.count;
}

/* Glob match of name against one pattern of plen bytes. */
static bool glob_match(const char *pat, size_t plen, const char *name)
{
	size_t star_p = SIZE_MAX;
	const char *star_n = NULL;
	size_t i = 0;

	while (*name) {
		if (i < plen && pat[i] == '*') {
			/* Before the literal test: a '*' in the name must not
			 * consume the pattern's wildcard. */
			star_p = ++i;
			star_n = name;
		} else if (i < plen && (pat[i] == '?' || pat[i] == *name)) {
			i++;
			name++;
		} else if (star_n) {
			i = star_p;
			name = ++star_n;
		} else {
			return false;
		}
	}
	while (i < plen && pat[i] == '*')
		i++;
	return i == plen;
}

bool cmdline_pattern_match(const char *patterns, const char *name)
{
	const char *p = patterns;
	bool included = false;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		/* "-pattern" excludes what it matches, wherever it stands. */
		if (len > 1 && p[0] == '-') {
			if (glob_match(p + 1, len - 1, name))
				return false;
		} else if (len && glob_match(p, len, name)) {
			included = true;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return included;
}
