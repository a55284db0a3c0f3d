// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Permitted tools: the subset of candidate tools a principal may call now,
// asked on every turn of an agent to filter the tool list shown to the
// model. It must answer exactly as AuthorizeTool would for each candidate,
// and fast: the work per candidate is one hash probe (all under one shared
// lock), and a decision only for the first tool of each class (tools the
// request cannot tell apart, tool_table.h) and for each tool whose uid is
// named somewhere. Buffers are per thread and reused, so a warm call does not
// allocate.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "arbiter/bundle.h"
#include "src/bundle/tool_table.h"

namespace arbiter {

void Bundle::PermittedTools(const Request& request,
                            absl::Span<const std::string_view> tools,
                            std::vector<uint32_t>* permitted) const {
  permitted->clear();
  thread_local std::vector<const internal::ToolEntry*> entries;
  thread_local std::vector<int8_t> class_answer;  // -1 unknown, 0 deny, 1 allow
  thread_local std::vector<int32_t> touched;
  thread_local Response response;
  tools_->FindAll(tools, &entries);

  // A tool the request itself names (a context field holding Action::"x",
  // as a task's chain of calls does, could be compared with `action`) can be
  // told apart from its look-alikes: it is decided alone. The others still
  // share their class's answer.
  thread_local std::vector<EntityUid> named;
  named.clear();
  const Symbol type = action_type_;
  if (request.principal.type == type) named.push_back(request.principal);
  if (request.resource.type == type) named.push_back(request.resource);
  internal::CollectUidsOfType(request.context, type, &named);

  Request r = request;
  for (size_t i = 0; i < tools.size(); ++i) {
    const internal::ToolEntry* e = entries[i];
    if (e->resolution == ToolResolution::kUnclassified) continue;
    int32_t k = e->klass;
    if (k >= 0 && !named.empty() &&
        std::find(named.begin(), named.end(), e->action) != named.end()) {
      k = -1;
    }
    if (k >= 0 && static_cast<size_t>(k) < class_answer.size() &&
        class_answer[k] >= 0) {
      if (class_answer[k] == 1) permitted->push_back(static_cast<uint32_t>(i));
      continue;
    }
    r.action = e->action;
    arbiter::Authorize(*policies_, *e->store, r, &response);
    const bool allow = response.decision == Decision::kAllow;
    if (allow) permitted->push_back(static_cast<uint32_t>(i));
    if (k >= 0) {
      if (static_cast<size_t>(k) >= class_answer.size()) {
        class_answer.resize(static_cast<size_t>(k) + 1, -1);
      }
      class_answer[k] = allow ? 1 : 0;
      touched.push_back(k);
    }
  }
  for (int32_t k : touched) class_answer[k] = -1;
  touched.clear();
  // The response's ids point into this bundle's policies; it must not keep
  // pointing at them (or at a store) after the call.
  response.Clear();
}

std::vector<std::string> Bundle::PermittedTools(
    const Request& request, const std::vector<std::string>& tools) const {
  std::vector<std::string_view> views(tools.begin(), tools.end());
  std::vector<uint32_t> idx;
  PermittedTools(request, views, &idx);
  std::vector<std::string> out;
  out.reserve(idx.size());
  for (uint32_t i : idx) out.push_back(tools[i]);
  return out;
}

}  // namespace arbiter
