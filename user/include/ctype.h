/*
 * Character classes, ASCII only (Locus has no locales). Each takes an int
 * that is EOF (-1) or an unsigned char value; anything outside ASCII is
 * in no class, and toupper/tolower return it unchanged.
 */
#ifndef LOCUS_USER_CTYPE_H
#define LOCUS_USER_CTYPE_H

int isalpha(int c);
int isdigit(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isxdigit(int c);
int isprint(int c);
int ispunct(int c);
int iscntrl(int c);
int toupper(int c);
int tolower(int c);

#endif
