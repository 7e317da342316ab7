#pragma once
// A CSV file as offices save it, made into UTF-8 text before it is read:
// spreadsheets write "CSV UTF-8" (with a byte-order mark) or, on Windows,
// Windows-1252; French ones separate with ";", English ones with ",". Pure
// functions (libunistring converts), no I/O.
#include <optional>
#include <string>
#include <string_view>

namespace portier {

struct CsvText {
  std::string text;      // UTF-8, without a byte-order mark
  std::string encoding;  // "utf-8" or "windows-1252"
};

// UTF-8 when the bytes are valid UTF-8 (a leading BOM removed); otherwise
// read as Windows-1252 (every byte but five unassigned ones is a character
// there). nullopt when neither reads it (a byte Windows-1252 leaves unassigned).
std::optional<CsvText> decode_csv_bytes(std::string_view bytes);

// ';' or ',' (or a tab): the one that appears most often outside quotes on
// the first line, which is the header; ',' when none does.
char detect_separator(std::string_view text);

// "Prénom", "PRENOM ", "Adresse e-mail" -> "prenom", "prenom", "adresse e mail":
// lower case, accents removed, anything else than letters and digits as one
// space, trimmed. For matching header names (and making identifiers).
std::string fold_header(std::string_view utf8);

}  // namespace portier
