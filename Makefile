# SPDX-License-Identifier: GPL-2.0
#
# hey: build the module, heyd, heyctl and the selftests; run the test lanes.
# `make help` lists the targets.

ifneq ($(KERNELRELEASE),)
# Invoked by kbuild: the real rules are in Kbuild.
include $(src)/Kbuild
else

SHELL   := /bin/bash
.SHELLFLAGS := -o pipefail -c
REPO    := $(CURDIR)
BUILD   := $(REPO)/build
BIN     := $(BUILD)/bin
KSRC    := $(BUILD)/ksrc
KSFT    := $(KSRC)/tools/testing/selftests

# The module builds against the running kernel's headers when it has them,
# otherwise against the headers of the Debian kernel the VM lane boots.
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR := $(RUNNING_KDIR)
else
KDIR = /usr/src/linux-headers-$(shell $(REPO)/tools/vm/stock-kernel --abi)-amd64
endif
endif

DEBUG_KMOD := $(BUILD)/debug-kmod

CC       ?= cc
NL_FLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || echo -I/usr/include/libnl3)
NL_LIBS  := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null || echo -lnl-genl-3 -lnl-3)
NL_ROUTE_LIBS := $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)
CARES_FLAGS := $(shell pkg-config --cflags libcares 2>/dev/null)
CARES_LIBS := $(shell pkg-config --libs libcares 2>/dev/null || echo -lcares)
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I$(REPO)/uapi \
	       -I$(REPO)/tools/lib $(NL_FLAGS) $(CARES_FLAGS) $(CFLAGS)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all

LIB_SRC := tools/lib/heynl.c tools/lib/heynl_races.c tools/lib/heynl_cache.c \
	   tools/lib/heynl_policy.c tools/lib/heynl_network.c \
	   tools/lib/heynl_events.c tools/lib/heynames.c tools/lib/json.c \
	   tools/lib/kwargs.c tools/lib/syntax.c tools/lib/cacheline.c \
	   tools/lib/cachefile.c tools/lib/heynl_resolve.c
LIB_HDR := $(wildcard tools/lib/*.h) uapi/linux/hey.h
# heyctl without its main(): what the unit tests link against too.
HEYCTL_SRC := tools/heyctl/args.c tools/heyctl/show.c \
	      tools/heyctl/connect.c tools/heyctl/monitor.c
HEYCTL_HDR := $(wildcard tools/heyctl/*.h)
# heyd without its main(): what its unit tests link against too.
HEYD_SRC := helper/log.c helper/persist.c helper/netid.c helper/netid_hash.c \
	    helper/resolve.c helper/dnsname.c helper/resolver.c helper/config.c \
	    helper/mdns.c
HEYD_HDR := $(wildcard helper/*.h)
MAN_PAGES := $(BUILD)/man/heyctl.8 $(BUILD)/man/heyd.8
KMOD_SRC := Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/hey.h

PREFIX  ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

.PHONY: all module debug-module userspace man selftests unit unit-run style \
	lint check vm-check vm-check-debug demo bench install modules_install \
	clean help fuzz

all: module userspace man selftests

help:
	@echo 'make             module (hey.ko), heyd, heyctl and selftests'
	@echo 'make module      hey.ko against KDIR=$$(KDIR)'
	@echo 'make check       unit tests, then both VM lanes (stock, debug kernel)'
	@echo 'make vm-check    selftests in the VM on Debian'"'"'s 6.1 kernel'
	@echo 'make vm-check-debug  selftests in the VM on the debug kernel'
	@echo 'make demo        build, boot the VM and show hey at work'
	@echo 'make bench       benchmarks in the VM (ratios, not tests)'
	@echo 'make fuzz        libFuzzer on heyd'"'"'s DNS answer handling, FUZZ_TIME s'
	@echo 'make style       checkpatch --strict on kmod/ and uapi/'
	@echo 'make lint        W=1 and sparse (C=2) on kmod/, warnings fail'
	@echo 'make man         build/man/heyctl.8 and heyd.8 from Documentation/man'
	@echo 'make install     heyd, heyctl, their man pages, the bash completion,'
	@echo '                 heyd.service and the uapi header into PREFIX'
	@echo 'make modules_install  hey.ko into /lib/modules (KDIR kernel)'

# Debian packages the build and the VM lanes need: installed on first use.
DEPS := $(BUILD)/.deps
$(DEPS): tools/deps
	tools/deps
	@mkdir -p $(BUILD) && touch $@

hey.ko $(BIN)/heyctl $(BIN)/heyd $(KSRC)/.unpacked $(DEBUG_KMOD)/hey.ko \
	$(MAN_PAGES): | $(DEPS)

# ---- kernel module -----------------------------------------------------

module: hey.ko

hey.ko: $(KMOD_SRC)
	$(MAKE) -C $(KDIR) M=$(REPO) modules

# The debug lane's kernel has its own configuration and vermagic, so the
# module is built again against that tree, in a copy of the sources so
# the two builds never share object files.
debug-module: $(DEBUG_KMOD)/hey.ko

$(DEBUG_KMOD)/hey.ko: $(KMOD_SRC)
	@kdir=$$($(REPO)/tools/vm/debug-kernel) && \
	rm -rf $(DEBUG_KMOD) && mkdir -p $(DEBUG_KMOD) && \
	cp -r Kbuild kmod uapi $(DEBUG_KMOD)/ && \
	$(MAKE) -C $$kdir M=$(DEBUG_KMOD) modules

modules_install: hey.ko
	$(MAKE) -C $(KDIR) M=$(REPO) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(KDIR)))

lint: $(KMOD_SRC)
	@$(MAKE) -s -C $(KDIR) M=$(REPO) clean
	@out=$$($(MAKE) -s -C $(KDIR) M=$(REPO) W=1 C=2 modules 2>&1 | \
		grep -v '^Skipping BTF generation') ; \
	if [ -n "$$out" ]; then echo "$$out"; echo 'lint: warnings'; exit 1; fi; \
	echo 'lint: W=1 and sparse clean'

# kmod/sock.c builds proto_ops tables at run time by copying the socket's
# own, as kTLS does (net/tls/tls_main.c), which checkpatch's CONST_STRUCT
# rule cannot know; that one rule is off for that one file. kmod/trace.h
# keeps the TRACE_EVENT layout of the kernel's include/trace/events/, whose
# open-ended macro lines the OPEN_ENDED_LINE rule flags there as well.
CHECKPATCH = $(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet \
	     --ignore FILE_PATH_CHANGES
style: $(KSRC)/.unpacked
	$(CHECKPATCH) -f $(filter-out kmod/sock.c kmod/trace.h,$(wildcard kmod/*.c kmod/*.h)) \
		uapi/linux/hey.h
	$(CHECKPATCH) --ignore CONST_STRUCT -f kmod/sock.c
	$(CHECKPATCH) --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT -f kmod/trace.h
	@echo 'style: checkpatch --strict clean'

$(KSRC)/.unpacked: tools/ksrc
	tools/ksrc $(KSRC)

# ---- userspace ---------------------------------------------------------

userspace: $(BIN)/heyctl $(BIN)/heyd $(BIN)/heyd-asan

$(BIN)/heyctl: tools/heyctl/heyctl.c $(HEYCTL_SRC) $(HEYCTL_HDR) $(LIB_SRC) \
		$(LIB_HDR)
	@mkdir -p $(BIN)
	$(CC) $(USER_CFLAGS) -o $@ tools/heyctl/heyctl.c $(HEYCTL_SRC) \
		$(LIB_SRC) $(NL_LIBS)

$(BIN)/heyd: helper/heyd.c $(HEYD_SRC) $(HEYD_HDR) $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(BIN)
	$(CC) $(USER_CFLAGS) -o $@ helper/heyd.c $(HEYD_SRC) $(LIB_SRC) \
		$(NL_ROUTE_LIBS) $(NL_LIBS) $(CARES_LIBS) -luring

# heyd under ASan and UBSan, for heyd.sh's malformed DNS answers: the
# daemon itself faces the network there, not only its unit tests.
$(BIN)/heyd-asan: helper/heyd.c $(HEYD_SRC) $(HEYD_HDR) $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(BIN)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ helper/heyd.c $(HEYD_SRC) \
		$(LIB_SRC) $(NL_ROUTE_LIBS) $(NL_LIBS) $(CARES_LIBS) -luring

# The man pages: scdoc sources in Documentation/man.
man: $(MAN_PAGES)

$(BUILD)/man/%.8: Documentation/man/%.8.scd
	@mkdir -p $(dir $@)
	scdoc <$< >$@.tmp && mv $@.tmp $@

install: userspace man
	install -D -m 0755 $(BIN)/heyctl $(DESTDIR)$(SBINDIR)/heyctl
	install -D -m 0755 $(BIN)/heyd $(DESTDIR)$(SBINDIR)/heyd
	install -D -m 0644 uapi/linux/hey.h $(DESTDIR)$(INCDIR)/linux/hey.h
	install -D -m 0644 $(BUILD)/man/heyctl.8 $(DESTDIR)$(MANDIR)/man8/heyctl.8
	install -D -m 0644 $(BUILD)/man/heyd.8 $(DESTDIR)$(MANDIR)/man8/heyd.8
	install -D -m 0644 tools/completion/heyctl.bash \
		$(DESTDIR)$(BASHCOMPDIR)/heyctl
	@mkdir -p $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/sbin/heyd|$(SBINDIR)/heyd|' helper/heyd.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/heyd.service

# Userspace unit tests, built with ASan and UBSan: they run on the host.
UNIT_TESTS := $(BUILD)/unit/heynl_test $(BUILD)/unit/heyctl_test \
	      $(BUILD)/unit/heynl_resolve_test \
	      $(BUILD)/unit/heyd_test $(BUILD)/unit/resolve_test \
	      $(BUILD)/unit/mdns_test $(BUILD)/unit/resolver_test
unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do $$t || exit 1; done

$(BUILD)/unit/%: tools/lib/tests/%.c tools/lib/tests/nlmsg_build.h $(LIB_SRC) \
		$(LIB_HDR) $(HEYCTL_SRC) $(HEYCTL_HDR) $(KSRC)/.unpacked
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -isystem $(KSFT) -I$(REPO)/tools/heyctl \
		-o $@ $< $(LIB_SRC) $(HEYCTL_SRC) $(NL_LIBS)

$(BUILD)/unit/heyd_test: helper/tests/heyd_test.c $(HEYD_SRC) $(HEYD_HDR) \
		$(LIB_SRC) $(LIB_HDR) $(KSRC)/.unpacked
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -isystem $(KSFT) -I$(REPO)/helper \
		-o $@ $< $(HEYD_SRC) $(LIB_SRC) $(NL_ROUTE_LIBS) $(NL_LIBS) \
		$(CARES_LIBS)

# The resolver against a fake DNS server on 127.0.0.1 (no device, no VM).
$(BUILD)/unit/resolve_test: helper/tests/resolve_test.c helper/resolve.c \
		helper/dnsname.c helper/tests/dnswire.h helper/tests/events.h \
		$(HEYD_HDR) $(KSRC)/.unpacked
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -isystem $(KSFT) -I$(REPO)/helper \
		-o $@ $< helper/resolve.c helper/dnsname.c $(CARES_LIBS)

# heyd's resolver.c as the kernel drives it, over a fake DNS server on
# 127.0.0.1: what it holds (requests, cache, heap) after many answers.
$(BUILD)/unit/resolver_test: helper/tests/resolver_test.c $(HEYD_SRC) \
		$(HEYD_HDR) helper/tests/dnswire.h $(LIB_SRC) $(LIB_HDR) \
		$(KSRC)/.unpacked
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -isystem $(KSFT) -I$(REPO)/helper \
		-o $@ $< $(HEYD_SRC) $(LIB_SRC) $(NL_ROUTE_LIBS) $(NL_LIBS) \
		$(CARES_LIBS)

# The mDNS querier against a fake responder on the loopback interface.
$(BUILD)/unit/mdns_test: helper/tests/mdns_test.c helper/mdns.c \
		helper/resolve.c helper/dnsname.c helper/tests/dnswire.h \
		helper/tests/events.h $(HEYD_HDR) $(KSRC)/.unpacked
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -isystem $(KSFT) -I$(REPO)/helper \
		-o $@ $< helper/mdns.c helper/resolve.c helper/dnsname.c \
		$(CARES_LIBS)

# heyd's resolver under libFuzzer (clang, libfuzzer-14-dev): names, the
# resolved line, and raw bytes as DNS answers (helper/fuzz/dns_fuzz.c),
# for FUZZ_TIME seconds; `make check` runs it for CHECK_FUZZ_TIME seconds
# in its unit lane, keeping the corpus in build/fuzz/corpus between
# runs. c-ares is Debian's, uninstrumented: the fuzzer is guided by
# heyd's code only.
FUZZ_TIME ?= 30
CHECK_FUZZ_TIME ?= 60
FUZZ_CC ?= clang
fuzz: $(BUILD)/fuzz/dns_fuzz
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/dns_fuzz -max_total_time=$(FUZZ_TIME) -max_len=4096 \
		-print_final_stats=1 $(BUILD)/fuzz/corpus

$(BUILD)/fuzz/dns_fuzz: helper/fuzz/dns_fuzz.c helper/resolve.c \
		helper/dnsname.c $(HEYD_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror $(CARES_FLAGS) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I$(REPO)/helper -o $@ $< helper/resolve.c helper/dnsname.c \
		$(CARES_LIBS)

# ---- selftests ---------------------------------------------------------

# lib.mk finds a test directory's settings file below its own directory,
# so the harness tree gets a link to ours.
selftests: $(KSRC)/.unpacked userspace
	@ln -sfn $(REPO)/selftests/hey $(KSFT)/hey
	$(MAKE) -C selftests/hey KSFT_DIR=$(KSFT)

# The selftests in the VM, both lanes, and the unit tests, with a last
# line "N passed, N failed": see tools/check. LANES=stock or LANES=debug
# runs one lane only.
LANES ?= unit stock debug
# The debug lane builds its kernel and module itself, while the stock
# lane runs.
check: all
	LANES="$(LANES)" tools/check

vm-check: all
	LANES="unit stock" tools/check

vm-check-debug: all debug-module
	LANES=debug tools/check

# What tools/check runs for the unit lane.
unit-run: $(UNIT_TESTS) $(BUILD)/fuzz/dns_fuzz
	@for t in $(UNIT_TESTS); do \
		echo "# unit: $$(basename $$t)"; \
		if $$t 2>&1 | sed 's/^/# /'; then \
			echo "ok unit: $$(basename $$t)"; \
		else echo "not ok unit: $$(basename $$t)"; fi; \
	done
	@echo "# unit: dns_fuzz for $(CHECK_FUZZ_TIME) s"; \
	mkdir -p $(BUILD)/fuzz/corpus; \
	if $(BUILD)/fuzz/dns_fuzz -max_total_time=$(CHECK_FUZZ_TIME) \
		-max_len=4096 -print_final_stats=1 $(BUILD)/fuzz/corpus 2>&1 | \
		grep -E '^(stat::number_of_executed_units|==[0-9]+==|SUMMARY|#[0-9]+ +DONE)' | \
		sed 's/^/# /'; test $${PIPESTATUS[0]} -eq 0; then \
		echo "ok unit: dns_fuzz"; \
	else echo "not ok unit: dns_fuzz"; fi

demo: all
	tools/vm/run -- tools/demo

# Measurements with ratios against baselines of the same run (not tests).
bench: all
	tools/vm/run --timeout 3000 -- tools/bench

clean:
	-$(MAKE) -C $(KDIR) M=$(REPO) clean 2>/dev/null
	-$(MAKE) -C selftests/hey KSFT_DIR=$(KSFT) clean 2>/dev/null
	rm -rf $(BIN) $(BUILD)/unit $(BUILD)/man $(DEBUG_KMOD) $(BUILD)/*.log

endif
