# bpfguard build: BPF objects, native addon, TypeScript. `make` builds all.
SHELL := /bin/bash
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CLANG ?= clang
BPFTOOL ?= bpftool
BUILD := build
# bpf/*.bpf.c (dispatch, schema, probe) and one folder per area (bpf/<area>/<name>.bpf.c): every
# object is build/bpf/<name>.bpf.o, whatever folder its source is in (src/util/paths.ts).
BPF_AREAS := $(filter-out bpf/include/ bpf/lib/ bpf/tests/,$(sort $(dir $(wildcard bpf/*/))))
BPF_SRCS := $(wildcard bpf/*.bpf.c $(addsuffix *.bpf.c,$(BPF_AREAS)))
BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/bpf/%.bpf.o,$(notdir $(BPF_SRCS)))
# BPF_PROG_TEST_RUN harnesses (test/bpf/): build/bpf/tests/<name>.test.bpf.o
BPF_TEST_OBJS := $(patsubst bpf/tests/%.bpf.c,$(BUILD)/bpf/tests/%.bpf.o,$(wildcard bpf/tests/*.test.bpf.c))
# include/ (ABI), lib/ (shared by 2+ objects), the areas' own headers; the harnesses' own too
BPF_HDRS := $(filter-out bpf/tests/%,$(wildcard bpf/*/*.h))
BPF_TEST_HDRS := $(wildcard bpf/tests/*.h)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf/include -Ibpf \
	-Wall -Wno-unused-function -Werror
ADDON := native/build/Release/bpfguard.node
NODEDIR ?= $(shell test -f /usr/include/node/common.gypi && echo /usr)
NODE_GYP_FLAGS := $(if $(NODEDIR),--nodedir=$(NODEDIR))
TS_SRCS := $(shell find src test bench -name '*.ts' 2>/dev/null)

PROGS := $(patsubst test/progs/%.c,$(BUILD)/progs/%,$(filter-out test/progs/raw%.c,$(wildcard test/progs/*.c)))
# raw*.c: no libc, raw x86-64 syscalls from _start (they run under the minimal seccomp profile)
RAW_PROGS := $(if $(filter x86_64,$(shell uname -m)),$(patsubst test/progs/%.c,$(BUILD)/progs/%,$(wildcard test/progs/raw*.c)))
SANDBOX := $(BUILD)/bpfguard-sandbox

.PHONY: all bpf native ts progs sandbox gen check-gen test test-unit test-kernel bench clean
all: bpf native ts progs sandbox

$(BUILD)/progs/%: test/progs/%.c
	@mkdir -p $(BUILD)/progs
	$(CC) -O2 -Wall -o $@ $<

$(RAW_PROGS): $(BUILD)/progs/%: test/progs/%.c
	@mkdir -p $(BUILD)/progs
	$(CC) -O2 -Wall -static -nostdlib -fno-stack-protector -o $@ $<

progs: $(PROGS) $(RAW_PROGS)

# the seccomp launcher of `bpfguard sandbox` (native/sandbox/launcher.c)
$(SANDBOX): native/sandbox/launcher.c
	@mkdir -p $(BUILD)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< $$(pkg-config --libs libseccomp)

sandbox: $(SANDBOX)

$(BUILD)/vmlinux.h:
	@mkdir -p $(BUILD)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

vpath %.bpf.c bpf $(BPF_AREAS)

$(BUILD)/bpf/%.bpf.o: %.bpf.c $(BPF_HDRS) $(BUILD)/vmlinux.h
	@mkdir -p $(BUILD)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/tests/%.bpf.o: bpf/tests/%.bpf.c $(BPF_HDRS) $(BPF_TEST_HDRS) $(BUILD)/vmlinux.h
	@mkdir -p $(BUILD)/bpf/tests
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

bpf: $(BPF_OBJS) $(BPF_TEST_OBJS)

# atomic fetch-and-add/or (net: the socket owner record; file, dispatch and secviol: the verdict
# generation's in-flight count) need BPF ISA v3
$(BUILD)/bpf/net.bpf.o $(BUILD)/bpf/file.bpf.o $(BUILD)/bpf/dispatch.bpf.o $(BUILD)/bpf/secviol.bpf.o: BPF_CFLAGS += -mcpu=v3
# the harnesses test code of those objects: built the same way
$(BPF_TEST_OBJS): BPF_CFLAGS += -mcpu=v3

$(ADDON): $(wildcard native/src/*.cc native/src/*.h) native/binding.gyp
	cd native && ../node_modules/.bin/node-gyp rebuild --silent $(NODE_GYP_FLAGS)

native: $(ADDON)

dist/.stamp: $(TS_SRCS) tsconfig.json
	./node_modules/.bin/tsc -p tsconfig.json
	@touch $@

ts: dist/.stamp

# Regenerate the TypeScript layouts from the compiled BTF (commit the result).
gen: $(BUILD)/bpf/schema.bpf.o
	node scripts/gen-layouts.mjs $< src/events/generated/layouts.ts

check-gen: $(BUILD)/bpf/schema.bpf.o
	node scripts/gen-layouts.mjs --check $< src/events/generated/layouts.ts

# Kernel-free tests (beside the modules in src/, and test/unit/): tsc and node only; no clang,
# no native addon, no root. check-gen (needs clang) runs with `make test`.
test-unit: ts
	node --test --test-concurrency=1 $$(find dist/src dist/test/unit -name '*.test.js' | sort)

# Tests that load BPF or the native addon (test/kernel, test/bpf): root, after a full build.
test-kernel: all
	node --test --test-concurrency=1 $$(find dist/test -name '*.test.js' -not -path 'dist/test/unit/*' | sort)

test: all check-gen
	node --test --test-concurrency=1 $$(find dist/src dist/test -name '*.test.js' | sort)

bench: all
	bash bench/run-quick.sh

clean:
	rm -rf $(BUILD) dist native/build
