# Locus - build, run, test, bench, debug.
#
#   make            kernel, user programs and iso/locus.iso
#   make run        boot it in QEMU, serial console on this terminal
#   make test       host unit tests, then the QEMU suites on 1, 2, 4, 8 cores
#   make bench      benchmark table (guest instructions under -icount)
#   make debug      boot halted with a gdb stub and attach gdb
#   make trace      scheduling/IPC timeline of a traced kernel (docs/tracing.md)
#   make fuzz       random hostile system calls, then a leak check (docs/robustness.md)
#
# CPUS=N (1..16, default 4) and MEM=size (default 256M) select the machine;
# for `make test` CPUS= narrows the core counts and T=pattern the tests.

CPUS ?= 4
MEM ?= 256M
BUILD := build
# TRACE=1: the kernel with its trace points compiled in (-DLOCUS_TRACE),
# in a folder of its own so that it never mixes with the default build.
ifeq ($(TRACE),1)
override BUILD := $(BUILD)/trace
TRACE_CFLAGS := -DLOCUS_TRACE
endif
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

ifneq ($(filter-out 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16,$(CPUS)),)
$(error CPUS=$(CPUS): Locus boots 1 to 16 cores)
endif

CC := gcc
LD := ld
NASM := nasm
OBJCOPY := objcopy
NM := nm
QEMU := qemu-system-i386
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
LIBGCC32 = $(shell $(CC) -m32 -print-libgcc-file-name)

# Flags shared by kernel and user code: freestanding i386, no SSE/x87
# registers, frame pointers for backtraces, TLS reached directly through
# %gs (DESIGN.md, "Pitfalls": these defaults differ between compilers, so
# every one is spelled out).
COMMON_CFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common \
	-ftls-model=local-exec -mtls-direct-seg-refs -mgeneral-regs-only \
	-nostdinc -isystem $(GCC_INCLUDE) \
	-Wall -Wextra -Werror -MMD -MP

KERNEL_CFLAGS := $(COMMON_CFLAGS) $(TRACE_CFLAGS) -Ikernel -I. -I$(BUILD)/inc
NASM_FLAGS := -f elf32 -g -F dwarf -I$(BUILD)/inc/ -Iboot/ -w+error=all

# Headers shared by C and nasm: each becomes build/inc/<name>.inc.
SHARED_HEADERS := kernel/mm/layout.h kernel/gdt/selectors.h kernel/trap/vectors.h \
	kernel/trap/trap_frame_i386.h kernel/smp/trampoline.h
SHARED_INCS := $(patsubst %.h,$(BUILD)/inc/%.inc,$(notdir $(SHARED_HEADERS)))

KERNEL_C := $(shell find kernel -name '*.c' | sort)
# boot/ap_trampoline.asm is a flat binary (16-bit start), included by
# boot/ap_entry.asm; every other .asm file is an ELF object.
KERNEL_ASM := $(filter-out boot/ap_trampoline.asm,$(shell find boot kernel -name '*.asm' | sort))
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) \
	$(patsubst %.asm,$(BUILD)/%.o,$(KERNEL_ASM))
KERNEL_ELF := $(BUILD)/locus.elf
ISO := $(if $(TRACE_CFLAGS),$(BUILD)/locus.iso,iso/locus.iso)

.PHONY: all deps run debug test test-host bench trace fuzz clean
all: $(ISO)

deps:
	$(Q)tools/deps.sh

$(BUILD)/inc/%.inc: | deps
	$(Q)mkdir -p $(dir $@)
	$(Q)tools/h2inc.sh $(filter %/$*.h,$(SHARED_HEADERS)) > $@

$(BUILD)/%.o: %.c | deps
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.asm $(SHARED_INCS) | deps
	@echo "  NASM    $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(NASM) $(NASM_FLAGS) -MD $(@:.o=.d) $< -o $@

$(KERNEL_OBJS): $(SHARED_INCS) Makefile

$(BUILD)/inc/ap_trampoline.bin: boot/ap_trampoline.asm $(SHARED_INCS) | deps
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -I$(BUILD)/inc/ -w+error=all $< -o $@

$(BUILD)/boot/ap_entry.o: $(BUILD)/inc/ap_trampoline.bin

# Two links: the first gives the addresses, the symbol table of those
# addresses is assembled into .ksyms (placed after everything else), and
# the second link adds it without moving any other symbol.
$(BUILD)/locus.pass1.elf: $(KERNEL_OBJS) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJS) $(LIBGCC32)

$(BUILD)/ksyms.asm: $(BUILD)/locus.pass1.elf tools/ksyms.sh
	$(Q)$(NM) -n $< | tools/ksyms.sh > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.asm
	$(Q)$(NASM) -f elf32 $< -o $@

$(KERNEL_ELF): $(BUILD)/locus.pass1.elf $(BUILD)/ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o $(LIBGCC32)
	$(Q)tools/check_kernel_elf.sh $(BUILD)/locus.pass1.elf $@

include user/user.mk

# The interactive ISO: iso/grub.cfg plus the kernel and every boot module.
$(ISO): $(KERNEL_ELF) $(BOOT_MODULES) iso/grub.cfg tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ iso/grub.cfg $(KERNEL_ELF) $(BOOT_MODULES)

QEMU_MACHINE = -accel tcg,thread=multi -smp $(CPUS),sockets=$(CPUS) -m $(MEM) \
	-device isa-debug-exit,iobase=0xf4,iosize=4 -no-reboot -display none

run: $(ISO)
	@echo "Locus on $(CPUS) cores, $(MEM) RAM. Quit QEMU with Ctrl-a x."
	$(Q)$(QEMU) $(QEMU_MACHINE) -cdrom $(ISO) -serial mon:stdio || true

# QEMU halted (-S) with its gdb stub on :1234 (-s); tools/gdbinit connects
# and loads the Locus commands (docs/debugging.md). `set -m` gives gdb and
# QEMU process groups of their own, so that Ctrl-C reaches gdb alone (QEMU
# and make would quit on it); quitting gdb stops QEMU.
debug: $(ISO)
	@echo "QEMU halted with a gdb stub on :1234; gdb attaches with kernel symbols."
	@echo "Serial console: $(BUILD)/debug-serial.log. Quit gdb to stop QEMU."
	$(Q)set -m; $(QEMU) $(QEMU_MACHINE) -cdrom $(ISO) -serial file:$(BUILD)/debug-serial.log \
		-s -S & qemu=$$!; gdb -q -x tools/gdbinit $(KERNEL_ELF); kill $$qemu 2>/dev/null || true

HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(filter-out tests/host/check.c,$(wildcard tests/host/*.c)))
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -I. -Ikernel -Itests/host -DLOCUS_HOST_TEST

# Each host test names the kernel sources it exercises in a
# "// host-test-sources:" line.
KERNEL_HEADERS := $(shell find kernel -name '*.h')
$(BUILD)/host/%: tests/host/%.c tests/host/check.c tests/host/check.h $(KERNEL_C) $(KERNEL_HEADERS) | deps
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< tests/host/check.c \
		$$(sed -n 's|^// host-test-sources:||p' $<)

test-host: $(HOST_TESTS)

ifneq ($(filter command line environment,$(origin CPUS)),)
TEST_CPUS := $(CPUS)
else
TEST_CPUS := 1 2 4 8
endif

test: $(KERNEL_ELF) $(BOOT_MODULES) $(HOST_TESTS) | deps
	$(Q)python3 tests/run.py --build $(BUILD) --cpus "$(TEST_CPUS)" --tests "$(T)" \
		--kernel $(KERNEL_ELF) --modules "$(BOOT_MODULES)" --host-tests "$(HOST_TESTS)"

bench: $(KERNEL_ELF) $(BOOT_MODULES) | deps
	$(Q)python3 tests/bench.py --build $(BUILD) --kernel $(KERNEL_ELF) --modules "$(BOOT_MODULES)"

# The trace scenario (boot option `trace`) on the traced kernel; its
# serial transcript becomes a Chrome/Perfetto trace and an SVG timeline.
ifeq ($(TRACE),1)
$(BUILD)/trace.iso: $(KERNEL_ELF) $(BOOT_MODULES) tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)printf 'set timeout=0\nmenuentry "Locus trace" {\n\tmultiboot %s trace\n\t%s\n\tboot\n}\n' \
		/boot/locus.elf @MODULES@ >$(BUILD)/trace.cfg
	$(Q)tools/mkiso.sh $@ $(BUILD)/trace.cfg $(KERNEL_ELF) $(BOOT_MODULES)

trace: $(BUILD)/trace.iso | deps
	@echo "  QEMU    trace scenario on $(CPUS) cores, serial to $(BUILD)/trace.log"
	$(Q)timeout 300 $(QEMU) $(QEMU_MACHINE) -monitor none -serial file:$(BUILD)/trace.log \
		-cdrom $<; code=$$?; [ $$code = 33 ] || \
		{ echo "make trace: QEMU exited with $$code, see $(BUILD)/trace.log" >&2; exit 1; }
	$(Q)python3 tools/trace_convert.py $(BUILD)/trace.log --json $(BUILD)/trace.json \
		--svg $(BUILD)/trace.svg
else
trace:
	$(Q)$(MAKE) --no-print-directory TRACE=1 trace
endif

# The system-call fuzzer (user/tests/utest_fuzz.c) in a boot of its own,
# run by the kernel test fuzz.syscalls, which then checks that nothing
# leaked: SEED and ITER (calls in all) choose the run, FUZZ_THREADS the
# workers (0: one per core); FUZZ_FLAGS=trace prints every call before
# it is made (docs/robustness.md). Exits non-zero on a panic, a leak, a
# violated rule or a hang (FUZZ_TIMEOUT seconds).
SEED ?= 1
ITER ?= 100000
FUZZ_THREADS ?= 0
FUZZ_TIMEOUT ?= 7200
comma := ,
FUZZ_ARGS = $(SEED),$(ITER),$(FUZZ_THREADS)$(if $(FUZZ_FLAGS),$(comma)$(FUZZ_FLAGS))

fuzz: $(KERNEL_ELF) $(BOOT_MODULES) tools/mkiso.sh | deps
	$(Q)printf 'set timeout=0\nmenuentry "Locus fuzz" {\n\tmultiboot %s test=fuzz.syscalls args=%s\n\t%s\n\tboot\n}\n' \
		/boot/locus.elf '$(FUZZ_ARGS)' @MODULES@ >$(BUILD)/fuzz.cfg
	$(Q)tools/mkiso.sh $(BUILD)/fuzz.iso $(BUILD)/fuzz.cfg $(KERNEL_ELF) $(BOOT_MODULES)
	@echo "  FUZZ    seed $(SEED), $(ITER) calls, $(CPUS) cores; serial in $(BUILD)/fuzz.log"
	$(Q){ timeout $(FUZZ_TIMEOUT) $(QEMU) $(QEMU_MACHINE) -monitor none -serial stdio \
		-cdrom $(BUILD)/fuzz.iso; echo $$? >$(BUILD)/fuzz.status; } | tee $(BUILD)/fuzz.log
	$(Q)code=$$(cat $(BUILD)/fuzz.status); \
	if [ "$$code" = 33 ]; then echo "make fuzz: passed: no panic, nothing leaked"; \
	else echo "make fuzz: FAILED (QEMU exit $$code: 37 panic, 35 test failed, 124 timeout);" \
		"replay with make fuzz SEED=$(SEED) ITER=$(ITER) CPUS=$(CPUS)" \
		"FUZZ_THREADS=$(FUZZ_THREADS) FUZZ_FLAGS=$(FUZZ_FLAGS); log $(BUILD)/fuzz.log" >&2; \
		exit 1; fi

clean:
	rm -rf $(BUILD) $(ISO)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
