#include "card/cps_identity.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <memory>

#include "common/encoding.h"

namespace portier::card {

namespace {

// A certificate is a few KiB; a CN identifier a few dozen characters.
constexpr std::size_t kMaxCertificateSize = 16 * 1024;
constexpr std::size_t kMaxLocalNumber = 32;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool local_number_ok(std::string_view s) {
  if (s.empty() || s.size() > kMaxLocalNumber) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

Result<CardHolder> invalid(std::string detail) { return fail(ErrorCode::InvalidInput, std::move(detail)); }

// Every value of `nid` in the subject, UTF-8; an attribute that cannot be
// converted, is not valid UTF-8 or holds control characters refuses the subject.
Result<std::vector<std::string>> values_of(const X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) return fail(ErrorCode::InvalidInput, std::string(OBJ_nid2sn(nid)) + " is not a string");
    std::string value(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    if (!is_valid_utf8(value)) return fail(ErrorCode::InvalidInput, std::string(OBJ_nid2sn(nid)) + " is not UTF-8");
    for (unsigned char c : value)
      if (c < 0x20 || c == 0x7f)
        return fail(ErrorCode::InvalidInput, std::string(OBJ_nid2sn(nid)) + " holds a control character");
    out.push_back(std::move(value));
  }
  return out;
}

// At most one value: two surnames would leave the choice to whoever reads first.
Result<std::string> single_value(const X509_NAME* name, int nid) {
  auto values = values_of(name, nid);
  if (!values) return tl::unexpected(values.error());
  if (values->size() > 1) return fail(ErrorCode::InvalidInput, std::string("several ") + OBJ_nid2sn(nid));
  return values->empty() ? std::string() : values->front();
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

Result<CardHolder> parse_national_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 64) return invalid("national identifier of unexpected length");
  CardHolder holder;
  holder.national_id = std::string(id);
  std::string_view rest = id.substr(1);
  switch (id.front()) {
    case '8':
      if (rest.size() != 11 || !all_digits(rest)) return invalid("RPPS identifier is not 8 + 11 digits");
      if (!luhn_valid(rest)) return invalid("RPPS check digit is wrong");
      holder.kind = CardHolder::Kind::Rpps;
      holder.number = std::string(rest);
      return holder;
    case '0':
      if (rest.size() != 9 || !all_digits(rest)) return invalid("ADELI identifier is not 0 + 9 digits");
      holder.kind = CardHolder::Kind::Adeli;
      holder.number = std::string(rest);
      return holder;
    case '3': {
      // "3" + FINESS + "/" + the staff member's number in that establishment.
      auto slash = rest.find('/');
      std::string_view finess = rest.substr(0, slash);
      if (finess.size() != 9 || !all_digits(finess)) return invalid("FINESS identifier is not 3 + 9 digits");
      if (slash != std::string_view::npos && !local_number_ok(rest.substr(slash + 1)))
        return invalid("establishment staff number is malformed");
      holder.kind = CardHolder::Kind::Finess;
      holder.number = std::string(finess);
      return holder;
    }
    default:
      if (id.front() < '1' || id.front() > '9') return invalid("CN is not a national identifier");
      for (char c : rest)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '/'))
          return invalid("national identifier holds an unexpected character");
      holder.kind = CardHolder::Kind::Other;
      holder.number = std::string(rest);
      return holder;
  }
}

Result<CardHolder> card_holder(std::string_view leaf_der) {
  if (leaf_der.empty() || leaf_der.size() > kMaxCertificateSize) return invalid("not a certificate");
  auto* p = reinterpret_cast<const unsigned char*>(leaf_der.data());
  const unsigned char* end = p + leaf_der.size();
  std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(leaf_der.size())),
                                                   X509_free);
  if (!cert || p != end) return invalid("not a certificate");
  const X509_NAME* subject = X509_get_subject_name(cert.get());

  auto cn = values_of(subject, NID_commonName);
  if (!cn) return tl::unexpected(cn.error());
  if (cn->size() != 1) return invalid(cn->empty() ? "subject has no CN" : "subject has several CNs");
  auto holder = parse_national_id(cn->front());
  if (!holder) return holder;

  auto surname = single_value(subject, NID_surname);
  auto given_name = single_value(subject, NID_givenName);
  auto title = single_value(subject, NID_title);
  for (auto* value : {&surname, &given_name, &title})
    if (!*value) return tl::unexpected(value->error());
  holder->surname = *surname;
  holder->given_name = *given_name;
  holder->title = *title;
  return holder;
}

const char* to_string(CardHolder::Kind kind) {
  switch (kind) {
    case CardHolder::Kind::Rpps: return "rpps";
    case CardHolder::Kind::Adeli: return "adeli";
    case CardHolder::Kind::Finess: return "finess";
    case CardHolder::Kind::Other: return "other";
  }
  return "other";
}

}  // namespace portier::card
