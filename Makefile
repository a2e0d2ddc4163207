# Makefile -- PGXS build of the hrguard extension, plus the project's own
# entry points: `make test` (every suite on throwaway clusters) and
# `make demo` / `make demo-stop` (a throwaway demo cluster).
#
# Both entry points install missing Debian packages first, so they also work
# on a machine where PGXS itself is not installed yet; that is why PGXS is
# included only when it exists.

EXTENSION	= hrguard
EXTVERSION	= $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big	= hrguard
OBJS		= $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
PGFILEDESC	= "hrguard - attendance geofencing, scoring and evidence chain"

# The install script is assembled from the per-module SQL files, in this
# order (later modules refer to objects of earlier ones).
SQL_MODULES	= \
	src/sql/preamble.sql \
	src/sql/settings.sql \
	src/sql/employee.sql \
	src/sql/datum.sql \
	src/sql/schedule.sql \
	src/sql/zone.sql \
	src/sql/zone_cache.sql \
	src/sql/punch.sql \
	src/sql/competitor.sql \
	src/sql/ingest.sql \
	src/sql/vendor_fences.sql \
	src/sql/punch_source.sql \
	src/sql/alert_delivery.sql \
	src/sql/views.sql \
	src/sql/canon.sql \
	src/sql/evidence.sql \
	src/sql/merkle.sql \
	src/sql/evidence_log.sql \
	src/sql/evidence_export.sql \
	src/sql/sales.sql \
	src/sql/verified_hours.sql \
	src/sql/robust_stats.sql \
	src/sql/score.sql \
	src/sql/explain.sql \
	src/sql/case_tables.sql \
	src/sql/case_steps.sql \
	src/sql/case_gates.sql \
	src/sql/case_exposure.sql \
	src/sql/case_notice.sql \
	src/sql/case_export.sql \
	src/sql/case_report.sql \
	src/sql/contract.sql \
	src/sql/verify_facts.sql \
	src/sql/drop_guard.sql

# PGXS's own `make installcheck` runs the regression suite, in the order of
# test/regress_schedule, against the server PGHOST/PGPORT name (as a
# superuser: the tests create roles and databases).
REGRESS		= $(shell sed -n 's/^test: *//p' test/regress_schedule)
REGRESS_OPTS	= --encoding=UTF8

DATA_built	= $(EXTENSION)--$(EXTVERSION).sql
DATA		= $(wildcard $(EXTENSION)--*--*.sql)

JANSSON_CFLAGS	= $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS	= $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)

PG_CPPFLAGS	= -I$(srcdir)/src $(JANSSON_CFLAGS) -DHRGUARD_VERSION='"$(EXTVERSION)"'
PG_CFLAGS	+= -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers $(WERROR)
SHLIB_LINK	+= $(JANSSON_LIBS)

EXTRA_CLEAN	= $(DATA_built) results regression.diffs regression.out log \
			  output_iso tmp_check tmp_check_iso

# Debian's PostgreSQL 15 is the fixed target.  PG_CONFIG may be overridden.
PG_CONFIG	?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS		:= $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

# JIT bitcode is optional and would add a clang dependency to every build.
override with_llvm = no

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PGXS for PostgreSQL 15 is not installed." >&2
	@echo "Run 'make deps' (as root) or see README.md, Requirements." >&2
	@exit 1
endif

# hrguard-verify, the offline package verifier: a plain program (jansson and
# libcrypto, no PostgreSQL libraries), installed next to PostgreSQL's own.
VERIFY		= hrguard-verify
EXTRA_CLEAN	+= $(VERIFY)

all: $(VERIFY)

VERIFY_SRCS	= $(addprefix src/verify/,hrguard_verify.c package_read.c hashes.c chain_run.c \
			  report.c merkle_check.c checkpoint_body.c completeness.c case_check.c \
			  case_html.c case_map.c)

$(VERIFY): $(VERIFY_SRCS) $(wildcard src/verify/*.h)
	$(CC) -std=gnu99 -O2 -Wall -Wextra $(WERROR) $(JANSSON_CFLAGS) -pthread -o $@ $(VERIFY_SRCS) $(JANSSON_LIBS) -lcrypto -lm

install: install-verify

.PHONY: install-verify
install-verify: $(VERIFY)
	$(INSTALL_PROGRAM) $(VERIFY) '$(DESTDIR)$(bindir)/$(VERIFY)'

# hrguard_listen, the LISTEN client the tests and the demo use (libpq only;
# not installed).
LISTENER	= test/listener/hrguard_listen
EXTRA_CLEAN	+= $(LISTENER)

all: $(LISTENER)

$(LISTENER): $(LISTENER).c
	$(CC) -std=gnu99 -O2 -Wall -Wextra $(WERROR) -I$(shell $(PG_CONFIG) --includedir) -o $@ $< \
		-L$(shell $(PG_CONFIG) --libdir) -lpq

$(DATA_built): $(SQL_MODULES) $(EXTENSION).control
	cat $(SQL_MODULES) > $@

$(OBJS): $(wildcard src/*.h)

.PHONY: deps test demo demo-stop bench

# Installs the Debian packages the build, the tests and the demo need.
deps:
	@bash test/scripts/deps.sh

# Builds with -Werror from scratch, installs, and runs every suite.
test: deps
	$(MAKE) clean
	$(MAKE) WERROR=-Werror
	$(MAKE) install
	bash test/scripts/run-suites.sh

demo: deps
	$(MAKE)
	$(MAKE) install
	bash test/demo/demo.sh start

demo-stop:
	bash test/demo/demo.sh stop

# Measures hrguard against a plain INSERT and the PL/pgSQL + PostGIS
# reference, score_period() against a plain-SQL score, and vendor
# ingestion against INSERT ... SELECT and COPY; prints figures only (see
# docs/performance.md).
bench: deps
	$(MAKE)
	$(MAKE) install
	bash test/bench/bench.sh
	bash test/bench/heads_bench.sh
	bash test/bench/score_bench.sh
	bash test/bench/ingest_bench.sh
