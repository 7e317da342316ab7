#pragma once
// Renders the text of every message portier sends from
// templates/mail/<kind>/{subject,body.txt,body.html}.<lang>.mustache.
// It knows no transport: the outbox worker and the mailers do the sending.
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>

#include "notify/outbound_message.h"

namespace portier {

struct ComposedMessage {
  std::string subject;
  std::string text;
  std::string html;
};

class MessageComposer {
public:
  // Loads every template under `mail_templates_dir` once; throws
  // std::runtime_error when a kind lacks a file for one of the languages.
  // `portal_name` and `public_url` are given to every template, and each
  // whole-number parameter `n` comes with a boolean `n_plural`.
  MessageComposer(const std::string& mail_templates_dir, std::string portal_name, std::string public_url);
  // `kind` is the folder name ("recovery.password"); `lang` "fr" or "en".
  ComposedMessage compose(std::string_view kind, std::string_view lang, boost::json::object params) const;

  // compose() then the outbox row for `recipient` (an address, or an E.164
  // number for SMS: only the text part is kept, trimmed).
  OutboundMessage message(std::string_view kind, std::string_view lang, boost::json::object params,
                          MessageChannel channel, std::string recipient, std::optional<AccountId> account,
                          TimePoint now) const;

private:
  std::map<std::string, std::string, std::less<>> sources_;  // "<kind>/<part>.<lang>" -> template
  std::string portal_name_;
  std::string public_url_;
};

}  // namespace portier
