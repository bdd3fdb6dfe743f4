/*
 * round_people.c — the people of a review round's nominations, their
 * packed facts read and parsed (see round_people.h).
 */
#include "store/round_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */

/*
 * $1 org, $2 the people (staff ids, an array): the facts of each, packed
 * (staff_facts, migration 0014; the format in db/procedures/
 * staff_facts.sql), one row per person who has any.  The people are those
 * of the nominations the caller's scope covers (round_nominations, which
 * also reads their staff rows).
 */
DB_STATEMENT(round_people,
	"SELECT f.staff_id, f.facts FROM staff_facts f"
	" WHERE f.organization_id = $1::bigint AND f.staff_id = ANY ($2::bigint[])",
	2);

/* clang-format on */

static struct civil_date date_text(const char *s)
{
	struct civil_date d = CIVIL_DATE_NONE;
	if (!s || !civil_date_parse(s, &d))
		return CIVIL_DATE_NONE;
	return d;
}

/* Counts by kind, to size the pools. */
struct rp_counts {
	size_t p, r, d, l, c, i, a, g;
};

/* One line of packed facts, split: its kind and up to six fields, each
 * NUL-terminated in `room`. */
#define FACT_FIELDS 7
#define FACT_FIELD_MAX 64
struct fact_line {
	char kind;
	int n;
	char f[FACT_FIELDS][FACT_FIELD_MAX];
};

/* Splits the line at *p (to its newline) into l; *p moves past it.  False
 * at the end of the text. */
static bool next_line(const char **p, struct fact_line *l)
{
	const char *s = *p;
	if (!*s)
		return false;
	const char *end = strchr(s, '\n');
	if (!end)
		end = s + strlen(s);
	l->n = 0;
	while (s <= end && l->n < FACT_FIELDS) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		size_t len = (size_t)(stop - s);
		if (len >= FACT_FIELD_MAX)
			len = FACT_FIELD_MAX - 1;
		memcpy(l->f[l->n], s, len);
		l->f[l->n++][len] = '\0';
		s = stop + 1;
		if (!tab)
			break;
	}
	for (int i = l->n; i < FACT_FIELDS; i++)
		l->f[i][0] = '\0';
	l->kind = l->f[0][0];
	*p = *end ? end + 1 : end;
	return true;
}

/* Whether the engine reads the fact for `year`: ratings of the ten years
 * before, leave overlapping them (runs of consecutive years reach back);
 * everything else whatever its date. */
static bool fact_in_window(const struct fact_line *l, int year)
{
	if (l->kind == 'r') {
		long y = strtol(l->f[1], NULL, 10);
		return y >= year - 10 && y <= year;
	}
	if (l->kind == 'l') {
		struct civil_date from = date_text(l->f[2]), until = date_text(l->f[3]);
		return until.year >= year - 10 && from.year <= year;
	}
	return true;
}

static void count_kind(char kind, struct rp_counts *n)
{
	switch (kind) {
	case 'r':
		n->r++;
		break;
	case 'd':
		n->d++;
		break;
	case 'l':
		n->l++;
		break;
	case 'c':
		n->c++;
		break;
	case 'i':
		n->i++;
		break;
	case 'a':
		n->a++;
		break;
	case 'g':
		n->g++;
		break;
	default:
		break;
	}
}

/* The facts of one packed text by kind, whatever their dates: what the
 * pools must hold at most. */
static void count_text(const char *text, struct rp_counts *n)
{
	while (*text) {
		count_kind(text[0], n);
		const char *end = strchr(text, '\n');
		text = end ? end + 1 : text + strlen(text);
	}
}

static bool pools_new(struct round_people *p, const struct rp_counts *n)
{
	p->ids = calloc(n->p ? n->p : 1, sizeof *p->ids);
	p->people = calloc(n->p ? n->p : 1, sizeof *p->people);
	p->years = calloc(n->r ? n->r : 1, sizeof *p->years);
	p->disciplines = calloc(n->d ? n->d : 1, sizeof *p->disciplines);
	p->leaves = calloc(n->l ? n->l : 1, sizeof *p->leaves);
	p->cases = calloc(n->c ? n->c : 1, sizeof *p->cases);
	p->initiatives = calloc(n->i ? n->i : 1, sizeof *p->initiatives);
	p->awards = calloc(n->a ? n->a : 1, sizeof *p->awards);
	p->registrations = calloc(n->g ? n->g : 1, sizeof *p->registrations);
	return p->ids && p->people && p->years && p->disciplines && p->leaves && p->cases &&
	       p->initiatives && p->awards && p->registrations;
}

/* The person's staff row, as round_nominations reads it: the start date,
 * and the leave on the record (its kind, "other" when not stated;
 * open-ended: to the end of the year). */
static void read_person(struct elig_person *e, const char *const row[4], int year)
{
	e->started_on = date_text(row[0]);
	e->has_started_on = e->started_on.year != 0;
	if (row[1]) {
		struct elig_leave *l = (struct elig_leave *)&e->leaves[e->n_leaves++];
		if (!row[3] || !leave_kind_parse(row[3], &l->kind))
			l->kind = LEAVE_OTHER;
		l->from = date_text(row[1]);
		l->until = date_text(row[2]);
		if (l->until.year == 0)
			l->until = (struct civil_date){ year, 12, 31 };
	}
}

static void read_fact(struct elig_person *e, const struct fact_line *l)
{
	const char(*f)[FACT_FIELD_MAX] = l->f;
	if (l->kind == 'r') {
		struct elig_year *y = (struct elig_year *)&e->years[e->n_years++];
		y->year = (int)strtol(f[1], NULL, 10);
		if (!rating_parse(f[2], &y->rating))
			y->rating = RATING_UNKNOWN;
		y->discipline_stated = f[3][0] == 't' ? 1 : f[3][0] == 'f' ? 0 : -1;
	} else if (l->kind == 'd') {
		struct elig_discipline *d =
			(struct elig_discipline *)&e->disciplines[e->n_disciplines++];
		if (!discipline_form_parse(f[1], &d->form))
			d->form = DISC_DISMISSAL; /* unknown: read as the heaviest */
		d->from = date_text(f[2]);
		d->until = date_text(f[3]);
	} else if (l->kind == 'l') {
		struct elig_leave *v = (struct elig_leave *)&e->leaves[e->n_leaves++];
		if (!leave_kind_parse(f[1], &v->kind))
			v->kind = LEAVE_OTHER;
		v->from = date_text(f[2]);
		v->until = date_text(f[3]);
	} else if (l->kind == 'c') {
		struct elig_case *k = (struct elig_case *)&e->cases[e->n_cases++];
		if (!case_kind_parse(f[1], &k->kind))
			k->kind = CASE_INVESTIGATION;
		k->opened = date_text(f[2]);
		k->closed = date_text(f[3]);
	} else if (l->kind == 'i') {
		struct elig_initiative *x =
			(struct elig_initiative *)&e->initiatives[e->n_initiatives++];
		x->id = strtoll(f[1], NULL, 10);
		if (!initiative_kind_parse(f[2], &x->kind))
			x->kind = INIT_KIND_INITIATIVE;
		if (!initiative_level_parse(f[3], &x->level))
			x->level = INIT_BASE;
		x->province_wide = f[4][0] == 't';
		x->recognised_on = date_text(f[5]);
		x->used = f[6][0] == 't';
	} else if (l->kind == 'a') {
		struct elig_award *w = (struct elig_award *)&e->awards[e->n_awards++];
		size_t len = strnlen(f[1], sizeof w->title - 1);
		memcpy(w->title, f[1], len);
		w->title[len] = '\0';
		w->year = (int)strtol(f[2], NULL, 10);
		w->adhoc = f[3][0] == 't';
	} else if (l->kind == 'g') {
		struct elig_registration *g =
			(struct elig_registration *)&e->registrations[e->n_registrations++];
		g->year = (int)strtol(f[1], NULL, 10);
		size_t len = strnlen(f[2], sizeof g->title - 1);
		memcpy(g->title, f[2], len);
		g->title[len] = '\0';
	}
}

/* A fact row by its person (the rows come unsorted), or a nominated
 * person by id (row: the nomination). */
struct row_ref {
	int64_t id;
	int row;
};

static int row_ref_cmp(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The people of the nominations, by id: refs to their first nomination,
 * sorted and unique; *n their count; NULL when out of memory. */
static struct row_ref *people_refs(const struct round_nominations *noms, size_t *n)
{
	struct row_ref *refs = malloc((noms->n ? noms->n : 1) * sizeof *refs);
	size_t k = 0;
	if (!refs)
		return NULL;
	for (size_t i = 0; i < noms->n; i++)
		if (!noms->items[i].unit)
			refs[k++] = (struct row_ref){ noms->items[i].staff_id, (int)i };
	qsort(refs, k, sizeof *refs, row_ref_cmp);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || refs[i].id != refs[i - 1].id)
			refs[(*n)++] = refs[i];
	return refs;
}

/* The people as an SQL array literal, "{1,2,3}" (new string). */
static char *ids_array(const struct row_ref *people, size_t n)
{
	size_t cap = 3 + n * 21, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, i ? ",%lld" : "%lld",
					(long long)people[i].id);
	s[len++] = '}';
	s[len] = '\0';
	return s;
}

/* Points person e's arrays at the pools' next free places: its facts are
 * appended there as they are read (used counts them). */
static void place_arrays(struct round_people *p, struct elig_person *e,
			 const struct rp_counts *used)
{
	e->years = p->years + used->r;
	e->disciplines = p->disciplines + used->d;
	e->leaves = p->leaves + used->l;
	e->cases = p->cases + used->c;
	e->initiatives = p->initiatives + used->i;
	e->awards = p->awards + used->a;
	e->registrations = p->registrations + used->g;
}

/* What person e took of the pools. */
static void took(struct rp_counts *used, const struct elig_person *e)
{
	used->r += e->n_years;
	used->d += e->n_disciplines;
	used->l += e->n_leaves;
	used->c += e->n_cases;
	used->i += e->n_initiatives;
	used->a += e->n_awards;
	used->g += e->n_registrations;
}

/* bsearch's order on ids: a row_ref, or an int64_t, begins with its id. */
static int id_cmp(const void *key, const void *item)
{
	int64_t a = *(const int64_t *)key, b = *(const int64_t *)item;
	return (a > b) - (a < b);
}

/* The row of res packing person id's facts, or -1 (rows: sorted refs, one
 * per person). */
static int facts_row(const struct row_ref *rows, size_t n, int64_t id)
{
	const struct row_ref *r = bsearch(&id, rows, n, sizeof *rows, id_cmp);
	return r ? r->row : -1;
}

/* The people (sorted by id), their staff rows (noms) and packed facts. */
static bool people_of(struct round_people *p, const struct round_nominations *noms,
		      const struct row_ref *people, size_t n_people, const PGresult *res, int year)
{
	size_t rows = (size_t)PQntuples(res);
	struct row_ref *packed = malloc((rows ? rows : 1) * sizeof *packed);
	if (!packed)
		return false;
	for (size_t r = 0; r < rows; r++)
		packed[r] = (struct row_ref){ db_get_int(res, (int)r, 0), (int)r };
	qsort(packed, rows, sizeof *packed, row_ref_cmp);
	/* the pools: every fact packed (those out of the year's window are
	 * skipped below, so this bounds what is used), and a leave each on
	 * the staff rows */
	struct rp_counts n = { .p = n_people, .l = n_people }, used = { 0 };
	for (size_t r = 0; r < rows; r++)
		count_text(PQgetvalue(res, (int)r, 1), &n);
	bool ok = pools_new(p, &n);
	for (size_t i = 0; ok && i < n_people; i++) {
		struct elig_person *e = &p->people[p->n];
		int row = facts_row(packed, rows, people[i].id);
		const char *text = row >= 0 ? PQgetvalue(res, row, 1) : "";
		place_arrays(p, e, &used);
		p->ids[p->n++] = people[i].id;
		read_person(e, noms->items[people[i].row].person, year);
		struct fact_line l;
		while (next_line(&text, &l))
			if (fact_in_window(&l, year))
				read_fact(e, &l);
		took(&used, e);
	}
	free(packed);
	return ok;
}

enum db_status store_round_people(struct db *db, int64_t org_id,
				  const struct round_nominations *noms, int year,
				  struct round_people *out)
{
	memset(out, 0, sizeof *out);
	size_t n_people = 0;
	struct row_ref *people = people_refs(noms, &n_people);
	char *ids = people ? ids_array(people, n_people) : NULL;
	if (!ids) {
		free(people);
		return DB_ERROR;
	}
	enum db_status st;
	PGresult *res = DB_EXEC(db, round_people, &st, db_arg_id(org_id), db_arg_text(ids));
	free(ids);
	if (!res) {
		free(people);
		return st;
	}
	bool ok = PQnfields(res) == 2 && people_of(out, noms, people, n_people, res, year);
	PQclear(res);
	free(people);
	if (!ok) {
		round_people_free(out);
		return DB_ERROR;
	}
	return DB_OK;
}

void round_people_free(struct round_people *p)
{
	free(p->ids);
	free(p->people);
	free(p->years);
	free(p->disciplines);
	free(p->leaves);
	free(p->cases);
	free(p->initiatives);
	free(p->awards);
	free(p->registrations);
	memset(p, 0, sizeof *p);
}

const struct elig_person *round_person(const struct round_people *p, int64_t staff_id)
{
	if (p->n == 0)
		return NULL; /* ids may be NULL: bsearch takes no null array */
	const int64_t *at = bsearch(&staff_id, p->ids, p->n, sizeof *p->ids, id_cmp);
	return at ? &p->people[at - p->ids] : NULL;
}
