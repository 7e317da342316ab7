#include "throttle/address_ranges.h"

#include <boost/asio/ip/address.hpp>

namespace portier {

std::optional<AddressRanges> AddressRanges::parse(const std::vector<std::string>& entries, std::vector<std::string>* bad) {
  namespace ip = boost::asio::ip;
  AddressRanges out;
  bool ok = true;
  for (const auto& e : entries) {
    boost::system::error_code ec;
    auto slash = e.find('/');
    if (slash == std::string::npos) {
      auto a = ip::make_address(e, ec);
      if (!ec && a.is_v4()) out.v4_.push_back(ip::network_v4(a.to_v4(), 32));
      else if (!ec) out.v6_.push_back(ip::network_v6(a.to_v6(), 128));
    } else if (e.find(':') == std::string::npos) {
      auto n = ip::make_network_v4(e, ec);
      // "192.0.2.7/24" is refused: the host bits say the operator meant something else.
      if (!ec && n.network() != n.address()) ec = boost::asio::error::invalid_argument;
      if (!ec) out.v4_.push_back(n);
    } else {
      auto n = ip::make_network_v6(e, ec);
      if (!ec && n.network() != n.address()) ec = boost::asio::error::invalid_argument;
      if (!ec) out.v6_.push_back(n);
    }
    if (ec) {
      ok = false;
      if (bad) bad->push_back(e);
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

bool AddressRanges::contains(std::string_view text) const {
  if (empty()) return false;
  namespace ip = boost::asio::ip;
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    auto x = a.to_v4().to_uint();
    for (const auto& n : v4_) {
      auto len = n.prefix_length();
      std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t(0) << (32 - len);
      if ((x & mask) == (n.address().to_uint() & mask)) return true;
    }
    return false;
  }
  auto x = a.to_v6().to_bytes();
  for (const auto& n : v6_) {
    auto y = n.address().to_bytes();
    int bits = n.prefix_length();
    bool same = true;
    for (int i = 0; i < 16 && bits > 0 && same; ++i, bits -= 8) {
      unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      same = (x[i] & mask) == (y[i] & mask);
    }
    if (same) return true;
  }
  return false;
}

}  // namespace portier
