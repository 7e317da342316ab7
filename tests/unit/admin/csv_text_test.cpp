#include "admin/csv_text.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

TEST(DecodeCsvBytes, Utf8WithOrWithoutByteOrderMark) {
  auto plain = decode_csv_bytes("Nom;Prénom\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->encoding, "utf-8");
  EXPECT_EQ(plain->text, "Nom;Prénom\n");
  auto bom = decode_csv_bytes("\xEF\xBB\xBFNom;Prénom\n");
  ASSERT_TRUE(bom);
  EXPECT_EQ(bom->encoding, "utf-8");
  EXPECT_EQ(bom->text, "Nom;Prénom\n");
}

TEST(DecodeCsvBytes, Windows1252AsExcelSavesIt) {
  // "Nom;Prénom;Hélène;Œuvre;€" in Windows-1252: é E9, è E8, Œ 8C, € 80.
  auto r = decode_csv_bytes("Nom;Pr\xE9nom;H\xE9l\xE8ne;\x8Cuvre;\x80\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->encoding, "windows-1252");
  EXPECT_EQ(r->text, "Nom;Prénom;Hélène;Œuvre;€\r\n");
}

TEST(DecodeCsvBytes, BytesWindows1252LeavesUnassignedAreRefused) {
  EXPECT_FALSE(decode_csv_bytes("a\x81z"));
  EXPECT_FALSE(decode_csv_bytes("a\x9Dz"));
}

TEST(DetectSeparator, TheCommonestOnTheHeaderLineOutsideQuotes) {
  EXPECT_EQ(detect_separator("Nom;Prénom;Adresse e-mail\nMartin, Claire;x;y\n"), ';');
  EXPECT_EQ(detect_separator("last name,first name,email\n"), ',');
  EXPECT_EQ(detect_separator("\"Nom; complet\",email\n"), ',');
  EXPECT_EQ(detect_separator("nom\tprenom\temail\n"), '\t');
  EXPECT_EQ(detect_separator("email\n"), ',');
  EXPECT_EQ(detect_separator(""), ',');
}

TEST(FoldHeader, CaseAccentsAndPunctuation) {
  EXPECT_EQ(fold_header("Prénom"), "prenom");
  EXPECT_EQ(fold_header("PRÉNOM "), "prenom");
  EXPECT_EQ(fold_header("Adresse e-mail"), "adresse e mail");
  EXPECT_EQ(fold_header("  Téléphone  "), "telephone");
  EXPECT_EQ(fold_header("N° RPPS"), "n\xC2\xB0 rpps");
  EXPECT_EQ(fold_header("E-Mail_Address"), "e mail address");
  EXPECT_EQ(fold_header("\xFF"), "");
}

}  // namespace
}  // namespace portier
