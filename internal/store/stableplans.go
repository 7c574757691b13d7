package store

/*
typedef struct sqlite3 sqlite3;
int sqlite3_auto_extension(void (*xEntryPoint)(void));
int sqlite3_db_config(sqlite3*, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG and SQLITE_ERROR, from sqlite3.h.
#define HEARTH_DBCONFIG_ENABLE_QPSG 1007
#define HEARTH_SQLITE_ERROR 1

static volatile long hearth_stable_conns;

static int hearth_stable_plans(sqlite3 *db, char **err, const void *api) {
	int on = 0;
	(void)err; (void)api;
	if (sqlite3_db_config(db, HEARTH_DBCONFIG_ENABLE_QPSG, 1, &on) != 0 || on != 1) {
		return HEARTH_SQLITE_ERROR; // the connection fails to open: never run without it unnoticed
	}
	__sync_fetch_and_add(&hearth_stable_conns, 1);
	return 0;
}

static int hearth_register_stable_plans(void) {
	return sqlite3_auto_extension((void (*)(void))hearth_stable_plans);
}

static long hearth_stable_plan_conns(void) { return __sync_fetch_and_add(&hearth_stable_conns, 0); }
*/
import "C"

import "fmt"

// Every SQLite connection this process opens keeps one plan per statement
// (SQLite's query planner stability guarantee, QPSG). Without it SQLite
// marks a statement whose plan could depend on a bound value as "prepare
// again when rebound", and the driver clears the bindings before every
// run, so such statements (most of ours with a join) were parsed and
// planned anew on every query: more than half of a story read's cost.
// Our statements are written for one plan, whatever the values.
func init() {
	if rc := C.hearth_register_stable_plans(); rc != 0 {
		panic(fmt.Sprintf("store: sqlite3_auto_extension: code %d", int(rc)))
	}
}

// stablePlanConns counts the connections set up so, for tests.
func stablePlanConns() int64 { return int64(C.hearth_stable_plan_conns()) }
