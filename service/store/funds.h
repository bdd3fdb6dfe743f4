/*
 * funds.h — SQL for the emulation fund of a year and its payments
 * (migration 0021, db/procedures/fund.sql).
 */
#ifndef THIDUA_STORE_FUNDS_H
#define THIDUA_STORE_FUNDS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* fund_report_json: the fund and its payments (a new string; NULL when
 * the organisation has no fund for the year). */
enum db_status store_fund_report(struct db *db, int64_t org_id, int year, char **json);
/* Enters or changes the fund of the year (fields: size, source_document). */
void store_fund_put(const struct writer *w, int year, const char *fields, struct write_result *r);
/* Pays an award's bonus from the fund of the year (fields: ledger, id,
 * paid_on, override_reason); the amount is the database's, from the
 * award's decision date. */
void store_fund_pay(const struct writer *w, int year, const char *fields, struct write_result *r);

#endif
