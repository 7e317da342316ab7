#pragma once
// What the support console's search looks for: the words of what the agent
// typed, in any order, without titles. "Dr Martin Claire" -> {martin, claire};
// "06 12 34 56 78" -> {0612345678} (a number read out in pairs is one word).
// Case and accents are left to the index (SQLite: an FTS5 table with
// unicode61 remove_diacritics; PostgreSQL: account_search_fold()), which
// folds what it stores and what it is asked alike. Pure function, no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace portier {

// What to look for in `query`, lower-cased (ASCII): one entry per chunk
// between spaces, in any order. Inside a chunk, the words joined by
// punctuation stay together, in order, as one entry with single spaces
// ("claire.martin@x.org" -> "claire martin x org": a phrase for the index,
// so "marie@example.org" is not found in "Marie Curie <curie@example.org>").
// Words are letters, digits and non-ASCII characters. Titles (dr, docteur,
// pr, professeur, m, mme, madame, mlle, monsieur, mr, mrs, ms) are dropped
// unless nothing else is left. A query of digits and separators (spaces,
// dots, dashes, a leading +) is one word: a phone or RPPS number. At most 8
// entries, each word at most 64 bytes.
std::vector<std::string> search_words(std::string_view query);

}  // namespace portier
