#include "admin/staff_rank.h"

namespace portier {

const char* to_string(RankRefusal r) {
  switch (r) {
    case RankRefusal::NotStaff: return "not_staff";
    case RankRefusal::OwnAccount: return "own_account";
    case RankRefusal::SameOrHigherRank: return "same_or_higher_rank";
    case RankRefusal::AdminOnly: return "admin_only";
  }
  return "refused";
}

int rank_of(Role role) {
  switch (role) {
    case Role::Member: return 0;
    case Role::Support: return 1;
    case Role::Admin: return 2;
  }
  return 0;
}

std::optional<RankRefusal> refuse_action(const Account& agent, const Account& target) {
  if (rank_of(agent.role) == 0) return RankRefusal::NotStaff;
  // Checked before the rank so that the page can say "use Mon espace".
  if (agent.id == target.id) return RankRefusal::OwnAccount;
  if (rank_of(target.role) >= rank_of(agent.role)) return RankRefusal::SameOrHigherRank;
  return std::nullopt;
}

std::optional<RankRefusal> refuse_role_change(const Account& agent, const Account& target) {
  if (auto refused = refuse_action(agent, target)) return refused;
  if (agent.role != Role::Admin) return RankRefusal::AdminOnly;
  return std::nullopt;
}

bool may_show_temporary_password(const Account& target) { return target.role == Role::Member; }

}  // namespace portier
