#include "common/mustache_data.h"

namespace portier {

namespace mst = kainjow::mustache;

mst::data to_mustache_data(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      mst::data d{mst::data::type::object};
      for (auto& [k, val] : v.as_object()) d.set(std::string(k), to_mustache_data(val));
      return d;
    }
    case boost::json::kind::array: {
      mst::data d{mst::data::type::list};
      for (auto& item : v.as_array()) d.push_back(to_mustache_data(item));
      return d;
    }
    case boost::json::kind::string: return mst::data{std::string(v.as_string())};
    case boost::json::kind::bool_:
      return v.as_bool() ? mst::data{mst::data::type::bool_true} : mst::data{mst::data::type::bool_false};
    case boost::json::kind::int64: return mst::data{std::to_string(v.as_int64())};
    case boost::json::kind::uint64: return mst::data{std::to_string(v.as_uint64())};
    case boost::json::kind::double_: return mst::data{std::to_string(v.as_double())};
    case boost::json::kind::null: return mst::data{mst::data::type::bool_false};
  }
  return mst::data{};
}

}  // namespace portier
