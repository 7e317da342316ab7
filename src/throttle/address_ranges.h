#pragma once
// A list of client address ranges ("192.0.2.0/24", "2001:db8:10::/48", or a
// single address) that the operator declared as shared by many members: a
// hospital's or a practice group's outgoing address (NAT, proxy). Sign-in's
// per-address throttles use their own, higher limits there (see
// throttle/client_throttle.h and flow/sign_in/sign_in_gate.h); per-account
// counters never change.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace portier {

class AddressRanges {
public:
  // nullopt when any entry is not an address or a CIDR range (the bad entries in `bad`).
  static std::optional<AddressRanges> parse(const std::vector<std::string>& entries, std::vector<std::string>* bad = nullptr);
  // `ip` as the server sees the client (IPv4-mapped IPv6 counts as IPv4).
  bool contains(std::string_view ip) const;
  bool empty() const { return v4_.empty() && v6_.empty(); }

private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace portier
