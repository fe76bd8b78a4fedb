/* record_words.h - how common each search word is (PostgreSQL's statistics). */
#ifndef KC_RECORD_WORDS_H
#define KC_RECORD_WORDS_H

#include "model/entity.h"
#include "store/store.h"

/* Seconds a table's list of common words is kept before it is read again
 * (600; tests set 0 to read it at each search). */
extern int record_words_ttl;

/* Fills share[i] with the share of ent's rows (0 to 1, a bound) holding a
 * word that starts with words[i], from the most common words ANALYZE found
 * in ent's TABLE_words index; 0 for a word not among them, and every share 0
 * on SQLite or before an ANALYZE. Cannot fail: what cannot be read is 0. */
void record_word_shares(struct store *st, const struct entity *ent, char *const *words, int n,
			double *share);

#endif
