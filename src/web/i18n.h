/* i18n.h - the one message catalogue of the user interface (vi first, en). */
#ifndef KC_I18N_H
#define KC_I18N_H

struct message {
	const char *key;
	const char *vi;
	const char *en;
};

/* The catalogue, ended by a NULL key. */
extern const struct message messages[];

/* The text of key in lang ("vi" or "en"). An unknown key returns the key
 * itself (scripts/codecheck fails the build when code uses one). */
const char *tr(const char *lang, const char *key);

#endif
