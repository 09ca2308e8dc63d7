// The wide-character API is visible to Swift only when the header itself asks for it:
// SwiftPM drops pkg-config flags, and cSettings defines do not reach the Swift importer.
#ifndef MIRRORSCOPE_CNCURSESW_SHIM_H
#define MIRRORSCOPE_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 refuses mutable C globals and does not import function-like macros: wrap each one.
static inline WINDOW *ms_stdscr(void) { return stdscr; }
static inline int ms_lines(void) { return LINES; }
static inline int ms_cols(void) { return COLS; }
static inline int ms_colors(void) { return COLORS; }
static inline int ms_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t ms_a_normal(void) { return A_NORMAL; }
static inline attr_t ms_a_bold(void) { return A_BOLD; }
static inline attr_t ms_a_dim(void) { return A_DIM; }
static inline attr_t ms_a_reverse(void) { return A_REVERSE; }
static inline attr_t ms_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ms_a_standout(void) { return A_STANDOUT; }

static inline int ms_key_code_yes(void) { return KEY_CODE_YES; }
static inline int ms_key_f(int n) { return KEY_F(n); }

// Writes one cell: a grapheme (as wide chars, NUL-terminated) with attributes and a colour pair.
static inline int ms_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}
#endif
