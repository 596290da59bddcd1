# User programs. Each user/<folder>/<name>.c with a main() becomes the
# boot module build/user/bin/<name>, linked with the runtime in user/lib
# and the pure-logic sources it shares with the kernel (the formatter,
# string functions, TLS layout).

USER_CFLAGS := $(COMMON_CFLAGS) -Iuser/include -Ikernel -I$(BUILD)/inc
USER_LIB_C := $(wildcard user/lib/*.c) $(wildcard user/lib/pthread/*.c)
USER_SHARED_C := kernel/lib/format.c kernel/lib/string.c kernel/cpu_locals/tls_layout.c kernel/bench/bench_stats.c
USER_LIB_OBJS := $(patsubst %.c,$(BUILD)/user/obj/%.o,$(USER_LIB_C) $(USER_SHARED_C))
USER_PROGRAM_DIRS := user/tests user/servers user/shell user/bench
USER_PROGRAM_C := $(foreach d,$(USER_PROGRAM_DIRS),$(wildcard $(d)/*.c))
USER_PROGRAMS := $(patsubst %.c,$(BUILD)/user/bin/%,$(notdir $(USER_PROGRAM_C)))

$(BUILD)/user/obj/%.o: %.c Makefile user/user.mk | deps
	@echo "  CC      $< (user)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

define user_program
$(BUILD)/user/bin/$(basename $(notdir $(1))): $(BUILD)/user/obj/$(1:.c=.o) $(USER_LIB_OBJS) user/user.ld
	@echo "  LD      $$@"
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(LD) -m elf_i386 -z noexecstack -T user/user.ld -o $$@ $$< $(USER_LIB_OBJS) $(LIBGCC32)
endef
$(foreach src,$(USER_PROGRAM_C),$(eval $(call user_program,$(src))))

# Deliberately malformed modules, made from a good program, for the
# kernel's test that such modules are refused with a clear reason.
USER_BAD_MODULES := $(addprefix $(BUILD)/user/bin/bad_elf_,truncated kernel_segment bad_entry)

$(BUILD)/user/bin/bad_elf_%: $(BUILD)/user/bin/utest_hello tools/make_bad_elf.py
	$(Q)python3 tools/make_bad_elf.py $< $* $@

# Data files the programs read as boot modules.
BOOT_FILES := iso/init.conf tests/init-restart.conf tests/init-servers.conf

BOOT_MODULES := $(USER_PROGRAMS) $(USER_BAD_MODULES) $(BOOT_FILES)
