// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Sets a request builder (arbiter_request_builder_*, include/arbiter/c.h)
// from a request in Cedar's JSON form, the way a binding would from its own
// values: strings, longs, booleans, sets of strings, `__entity` references
// and `__extn` calls each through their own setter, anything else as JSON.
// Also the request members of a requests.json entry (which carries its
// expected answer beside them), as JSON text for arbiter_request_parse_json.
// Shared by the C API's workload test and its benchmark, which link only
// libarbiter_c.so (tools/workload.h's RequestMembers needs the C++ library).

#ifndef ARBITER_TESTS_CAPI_BUILD_REQUEST_H_
#define ARBITER_TESTS_CAPI_BUILD_REQUEST_H_

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arbiter/c.h"

namespace arbiter_test {

inline std::string RequestJson(const nlohmann::json& entry) {
  nlohmann::json request = nlohmann::json::object();
  for (const char* key : {"principal", "action", "resource", "context"}) {
    if (auto it = entry.find(key); it != entry.end()) request[key] = *it;
  }
  return request.dump();
}

inline void SetEntity(arbiter_request_builder_t* b, int slot,
                      const nlohmann::json& uid) {
  const nlohmann::json& u = uid.contains("__entity") ? uid["__entity"] : uid;
  const std::string& type = u.at("type").get_ref<const std::string&>();
  const std::string& id = u.at("id").get_ref<const std::string&>();
  arbiter_request_builder_set_entity(b, slot, type.data(), type.size(),
                                     id.data(), id.size());
}

inline void BuildRequest(arbiter_request_builder_t* b, const nlohmann::json& r) {
  arbiter_request_builder_clear(b);
  SetEntity(b, ARBITER_PRINCIPAL, r.at("principal"));
  SetEntity(b, ARBITER_ACTION, r.at("action"));
  SetEntity(b, ARBITER_RESOURCE, r.at("resource"));
  if (!r.contains("context")) return;
  std::vector<const char*> strings;
  for (const auto& [key, v] : r["context"].items()) {
    const char* k = key.data();
    const size_t n = key.size();
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      arbiter_request_builder_add_string(b, k, n, s.data(), s.size());
    } else if (v.is_number_integer()) {
      arbiter_request_builder_add_long(b, k, n, v.get<int64_t>());
    } else if (v.is_boolean()) {
      arbiter_request_builder_add_bool(b, k, n, v.get<bool>() ? 1 : 0);
    } else if (v.is_object() && v.contains("__entity")) {
      const nlohmann::json& u = v["__entity"];
      const std::string& type = u.at("type").get_ref<const std::string&>();
      const std::string& id = u.at("id").get_ref<const std::string&>();
      arbiter_request_builder_add_entity(b, k, n, type.data(), type.size(),
                                         id.data(), id.size());
    } else if (v.is_object() && v.contains("__extn") &&
               v["__extn"].contains("arg")) {
      const std::string& fn = v["__extn"].at("fn").get_ref<const std::string&>();
      const std::string& arg = v["__extn"].at("arg").get_ref<const std::string&>();
      arbiter_request_builder_add_extension(b, k, n, fn.c_str(), arg.data(),
                                            arg.size());
    } else if (v.is_array() &&
               std::all_of(v.begin(), v.end(),
                           [](const nlohmann::json& e) { return e.is_string(); })) {
      strings.clear();
      for (const nlohmann::json& e : v) {
        strings.push_back(e.get_ref<const std::string&>().c_str());
      }
      arbiter_request_builder_add_string_set(b, k, n, strings.data(),
                                             strings.size());
    } else {
      const std::string json = v.dump();
      arbiter_request_builder_add_json(b, k, n, json.data(), json.size());
    }
  }
}

}  // namespace arbiter_test

#endif  // ARBITER_TESTS_CAPI_BUILD_REQUEST_H_
