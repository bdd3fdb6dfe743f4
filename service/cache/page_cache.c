/*
 * page_cache.c — rendered pages by key and revision (see page_cache.h).
 *
 * Direct-mapped: a key hashes to one slot, and a new page evicts the old
 * one.  A lock per slot keeps readers of different slots apart.
 */
#include "cache/page_cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	pthread_mutex_t lock;
	char *key; /* owned; NULL when empty */
	int64_t rev;
	char *page, *next; /* owned; next NULL on the last page */
};

struct page_cache {
	size_t n;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	struct slot *slots;
};

struct page_cache *page_cache_new(size_t slots)
{
	struct page_cache *pc = calloc(1, sizeof *pc);
	if (!pc || !(pc->slots = calloc(slots, sizeof *pc->slots))) {
		free(pc);
		return NULL;
	}
	pc->n = slots;
	/* a keyed hash: request text cannot aim every key at one slot */
	crypto_shorthash_keygen(pc->hash_key);
	for (size_t i = 0; i < slots; i++)
		pthread_mutex_init(&pc->slots[i].lock, NULL);
	return pc;
}

static void slot_clear(struct slot *s)
{
	free(s->key);
	free(s->page);
	free(s->next);
	s->key = s->page = s->next = NULL;
}

void page_cache_free(struct page_cache *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; i < pc->n; i++) {
		slot_clear(&pc->slots[i]);
		pthread_mutex_destroy(&pc->slots[i].lock);
	}
	free(pc->slots);
	free(pc);
}

static struct slot *slot_of(struct page_cache *pc, const char *key)
{
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, (const unsigned char *)key, strlen(key),
			 pc->hash_key);
	return &pc->slots[h % pc->n];
}

bool page_cache_get(struct page_cache *pc, const char *key, int64_t rev, char **page, char **next)
{
	*page = *next = NULL;
	struct slot *s = slot_of(pc, key);
	pthread_mutex_lock(&s->lock);
	bool hit = s->key && s->rev == rev && strcmp(s->key, key) == 0;
	if (hit) {
		*page = strdup(s->page);
		*next = s->next ? strdup(s->next) : NULL;
		hit = *page && (*next || !s->next);
	}
	pthread_mutex_unlock(&s->lock);
	if (!hit) {
		free(*page);
		free(*next);
		*page = *next = NULL;
	}
	return hit;
}

void page_cache_put(struct page_cache *pc, const char *key, int64_t rev, const char *page,
		    const char *next)
{
	char *k = strdup(key), *p = strdup(page), *x = next ? strdup(next) : NULL;
	if (!k || !p || (next && !x)) {
		free(k);
		free(p);
		free(x);
		return;
	}
	struct slot *s = slot_of(pc, key);
	pthread_mutex_lock(&s->lock);
	slot_clear(s);
	s->key = k;
	s->rev = rev;
	s->page = p;
	s->next = x;
	pthread_mutex_unlock(&s->lock);
}
