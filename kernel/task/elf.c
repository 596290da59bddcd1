/*
 * The ELF executable checker. Every check is done on 32-bit fields
 * widened to 64 bits before any addition, so that no offset + size or
 * address + size can wrap around and pass a bounds test by accident; and
 * every header is copied out of the file with memcpy, since a boot module
 * (or a host test's buffer) need not be aligned.
 */
#include "task/elf.h"

#include "lib/compiler.h"
#include "lib/string.h"
#include "uapi/errno.h"

_Static_assert(sizeof(struct elf32_header) == 52, "the ELF32 header is 52 bytes");
_Static_assert(sizeof(struct elf32_program_header) == 32,
	       "an ELF32 program header is 32 bytes");

/* The loader maps whole pages, each with one segment's permissions (the
 * value of PAGE_SIZE, kept local so this file builds on its own). */
#define ELF_PAGE 4096u

/*
 * Reasons that name segments are written into info->reason. The longest
 * is well under ELF_REASON_MAX, but the writers stop at the end anyway.
 */
static void put_str(char *buf, size_t *len, const char *s)
{
	while (*s && *len < ELF_REASON_MAX - 1)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void put_uint(char *buf, size_t *len, unsigned n)
{
	char digits[10];
	int count = 0;

	do {
		digits[count++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (count && *len < ELF_REASON_MAX - 1)
		buf[(*len)++] = digits[--count];
	buf[*len] = '\0';
}

/* "segment <n><what>" */
static const char *segment_reason(struct elf_image_info *info, unsigned n, const char *what)
{
	size_t len = 0;

	put_str(info->reason, &len, "segment ");
	put_uint(info->reason, &len, n);
	put_str(info->reason, &len, what);
	return info->reason;
}

static const char *overlap_reason(struct elf_image_info *info, unsigned a, unsigned b)
{
	size_t len = 0;

	put_str(info->reason, &len, "segments ");
	put_uint(info->reason, &len, a);
	put_str(info->reason, &len, " and ");
	put_uint(info->reason, &len, b);
	put_str(info->reason, &len, " overlap");
	return info->reason;
}

static const char *check_header(const uint8_t *file, size_t size, struct elf32_header *eh)
{
	if (size < sizeof(*eh))
		return "too short for an ELF header";
	memcpy(eh, file, sizeof(*eh));
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return "bad magic";
	if (eh->e_ident[EI_CLASS] != ELFCLASS32)
		return "not 32-bit";
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return "not little-endian";
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "unknown ELF version";
	if (eh->e_machine != EM_386)
		return "not for i386";
	if (eh->e_type != ET_EXEC)
		return "not an executable (ET_EXEC)";
	if (eh->e_phentsize != sizeof(struct elf32_program_header))
		return "unexpected program header size";
	if (eh->e_phnum == 0)
		return "no program headers";
	if (eh->e_phnum > ELF_MAX_PROGRAM_HEADERS)
		return "too many program headers";
	if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(struct elf32_program_header) >
	    size)
		return "program headers outside the file";
	return NULL;
}

/* Checks PT_LOAD header n and appends it to info->segments. */
static const char *add_load(const struct elf32_program_header *ph, unsigned n, size_t size,
			    uint32_t user_base, uint32_t user_limit, struct elf_image_info *info)
{
	if (info->segment_count == ELF_MAX_SEGMENTS)
		return "too many loadable segments";
	if (ph->p_filesz > ph->p_memsz)
		return segment_reason(info, n, ": file size larger than memory size");
	if (ph->p_memsz == 0)
		return segment_reason(info, n, " is empty");
	if ((uint64_t)ph->p_offset + ph->p_filesz > size)
		return segment_reason(info, n, " outside the file");
	if (ph->p_vaddr < user_base || (uint64_t)ph->p_vaddr + ph->p_memsz > user_limit)
		return segment_reason(info, n, " outside user space");
	/* The loader relies on address and offset agreeing within a page. */
	if (ph->p_align > 1 && !IS_POWER_OF_TWO(ph->p_align))
		return segment_reason(info, n, ": alignment not a power of two");
	if (ph->p_align > 1 && ph->p_vaddr % ph->p_align != ph->p_offset % ph->p_align)
		return segment_reason(info, n, ": address and offset disagree modulo alignment");

	info->segments[info->segment_count++] = (struct elf_segment){
		.vaddr = ph->p_vaddr,
		.memsz = ph->p_memsz,
		.offset = ph->p_offset,
		.filesz = ph->p_filesz,
		.writable = ph->p_flags & PF_W,
		.executable = ph->p_flags & PF_X,
	};
	return NULL;
}

static const char *add_tls(const struct elf32_program_header *ph, struct elf_image_info *info)
{
	if (info->has_tls)
		return "more than one TLS segment";
	if (ph->p_filesz > ph->p_memsz)
		return "TLS segment: file size larger than memory size";
	if (ph->p_align > 1 && (!IS_POWER_OF_TWO(ph->p_align) || ph->p_align > ELF_MAX_TLS_ALIGN))
		return "TLS segment alignment not a power of two up to 4096";
	if (ph->p_memsz > ELF_MAX_TLS_SIZE)
		return "TLS segment larger than 1 MiB";
	info->has_tls = true;
	info->tls = (struct elf_tls){
		.vaddr = ph->p_vaddr,
		.filesz = ph->p_filesz,
		.memsz = ph->p_memsz,
		.align = ph->p_align,
	};
	return NULL;
}

/* The pages [*start, *end) a segment occupies once mapped. */
static void page_range(const struct elf_segment *s, uint64_t *start, uint64_t *end)
{
	*start = ALIGN_DOWN((uint64_t)s->vaddr, ELF_PAGE);
	*end = ALIGN_UP((uint64_t)s->vaddr + s->memsz, ELF_PAGE);
}

/*
 * What needs all the segments at once. index[i] is the program header
 * index of segments[i], for the messages.
 */
static const char *check_layout(struct elf_image_info *info, const uint8_t *index)
{
	for (unsigned i = 0; i < info->segment_count; i++) {
		uint64_t a_start, a_end;

		page_range(&info->segments[i], &a_start, &a_end);
		for (unsigned j = i + 1; j < info->segment_count; j++) {
			uint64_t b_start, b_end;

			page_range(&info->segments[j], &b_start, &b_end);
			if (a_start < b_end && b_start < a_end)
				return overlap_reason(info, index[i], index[j]);
		}
	}

	bool entry_ok = false;

	for (unsigned i = 0; i < info->segment_count; i++) {
		const struct elf_segment *s = &info->segments[i];

		/* Unsigned: an entry below vaddr wraps to a huge offset. */
		if (s->executable && info->entry - s->vaddr < s->filesz)
			entry_ok = true;
	}
	if (!entry_ok)
		return "entry point not in an executable segment";

	/* Each new thread's TLS block is copied from the loaded .tdata, so
	 * it must be file-backed; an empty .tdata is read from nowhere. */
	if (info->has_tls && info->tls.filesz) {
		const struct elf_tls *t = &info->tls;
		bool inside = false;

		for (unsigned i = 0; i < info->segment_count; i++) {
			const struct elf_segment *s = &info->segments[i];

			if (t->vaddr >= s->vaddr &&
			    (uint64_t)t->vaddr + t->filesz <= (uint64_t)s->vaddr + s->filesz)
				inside = true;
		}
		if (!inside)
			return "TLS segment not inside a loaded segment";
	}
	return NULL;
}

static const char *check(const uint8_t *file, size_t size, uint32_t user_base,
			 uint32_t user_limit, struct elf_image_info *info)
{
	struct elf32_header eh;
	uint8_t index[ELF_MAX_SEGMENTS];
	const char *reason = check_header(file, size, &eh);

	if (reason)
		return reason;
	info->entry = eh.e_entry;
	for (unsigned n = 0; n < eh.e_phnum; n++) {
		struct elf32_program_header ph;

		memcpy(&ph, file + eh.e_phoff + n * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_LOAD:
			reason = add_load(&ph, n, size, user_base, user_limit, info);
			if (!reason)
				index[info->segment_count - 1] = (uint8_t)n;
			break;
		case PT_TLS:
			reason = add_tls(&ph, info);
			break;
		case PT_INTERP:
		case PT_DYNAMIC:
			/* There is no dynamic loader to hand it to. */
			reason = "dynamically linked";
			break;
		default:
			/* PT_NOTE, PT_GNU_STACK, PT_PHDR...: nothing to load. */
			break;
		}
		if (reason)
			return reason;
	}
	if (info->segment_count == 0)
		return "no loadable segment";
	return check_layout(info, index);
}

int elf_check(const void *file, size_t size, uint32_t user_base, uint32_t user_limit,
	      struct elf_image_info *info, const char **why)
{
	memset(info, 0, sizeof(*info));
	*why = check(file, size, user_base, user_limit, info);
	return *why ? -ENOEXEC : 0;
}
