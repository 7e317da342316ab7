#pragma once
// A configured duration in words, in the page language ("une heure",
// "2 heures", "15 minutes"): for warnings that quote the real settings.
#include <chrono>
#include <string>

#include "web/exchange.h"

namespace portier::web {

std::string duration_words(const Exchange& ex, std::chrono::seconds d);

}  // namespace portier::web
