// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Typechecking of extension function and method calls.
//
// Design note. Each function has a fixed signature. The constructors (`ip`,
// `decimal`, `datetime`, `duration`) are also checked on their argument in
// strict mode: it must be a literal, and a string literal must parse, so a
// policy can never fail at run time on a malformed constant. Arity, parse
// and literal problems are all reported; the arguments are then still
// typechecked (without expected types) for their own errors.

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/eval/ext/extensions.h"
#include "src/validate/quote.h"
#include "src/validate/typecheck.h"

namespace arbiter::internal {
namespace {

struct Signature {
  std::vector<TypeRef> params;
  TypeRef result;
  bool constructor = false;
};

Signature SignatureOf(ExtFn fn) {
  TypeRef ip = types::Ext(ExtType::kIpAddr);
  TypeRef dec = types::Ext(ExtType::kDecimal);
  TypeRef dt = types::Ext(ExtType::kDatetime);
  TypeRef dur = types::Ext(ExtType::kDuration);
  switch (fn) {
    case ExtFn::kIp: return {{types::String()}, ip, true};
    case ExtFn::kDecimal: return {{types::String()}, dec, true};
    case ExtFn::kDatetime: return {{types::String()}, dt, true};
    case ExtFn::kDuration: return {{types::String()}, dur, true};
    case ExtFn::kIsIpv4:
    case ExtFn::kIsIpv6:
    case ExtFn::kIsLoopback:
    case ExtFn::kIsMulticast: return {{ip}, types::Bool()};
    case ExtFn::kIsInRange: return {{ip, ip}, types::Bool()};
    case ExtFn::kLessThan:
    case ExtFn::kLessThanOrEqual:
    case ExtFn::kGreaterThan:
    case ExtFn::kGreaterThanOrEqual: return {{dec, dec}, types::Bool()};
    case ExtFn::kOffset: return {{dt, dur}, dt};
    case ExtFn::kDurationSince: return {{dt, dt}, dur};
    case ExtFn::kToDate: return {{dt}, dt};
    case ExtFn::kToTime: return {{dt}, dur};
    case ExtFn::kToMilliseconds:
    case ExtFn::kToSeconds:
    case ExtFn::kToMinutes:
    case ExtFn::kToHours:
    case ExtFn::kToDays: return {{dur}, types::Long()};
  }
  return {{}, types::Never()};
}

// The message for a constructor literal that does not parse, or "".
std::string ParseFailure(ExtFn fn, std::string_view text) {
  std::string quoted = DebugQuote(text);
  switch (fn) {
    case ExtFn::kIp:
      if (!ParseIpAddr(text).ok()) {
        return absl::StrCat("failed to parse as IP address: `", quoted, "`");
      }
      break;
    case ExtFn::kDecimal:
      if (!ParseDecimal(text).ok()) {
        return absl::StrCat("failed to parse as a decimal value: `", quoted, "`");
      }
      break;
    case ExtFn::kDatetime:
      if (!ParseDatetime(text).ok()) {
        return absl::StrCat("failed to parse as a datetime value: `", quoted, "`");
      }
      break;
    case ExtFn::kDuration:
      if (!ParseDuration(text).ok()) {
        return absl::StrCat("failed to parse as a duration value: `", quoted, "`");
      }
      break;
    default:
      break;
  }
  return "";
}

}  // namespace

Answer Typechecker::CheckExtCall(const CapabilitySet& prior, const Expr& e) {
  Signature sig = SignatureOf(e.fn);
  const auto& args = e.children;
  bool failed = false;
  if (args.size() != sig.params.size()) {
    Error(e, "wrong_number_arguments",
          absl::StrCat("wrong number of arguments in extension function "
                       "application. Expected ",
                       sig.params.size(), ", got ", args.size()));
    failed = true;
  }
  if (sig.constructor && args.size() == 1 && args[0]->kind == ExprKind::kLiteral &&
      args[0]->literal.is(ValueKind::kString)) {
    std::string msg = ParseFailure(e.fn, args[0]->literal.as_string());
    if (!msg.empty()) {
      Error(e, "function_argument_validation",
            absl::StrCat("error during extension function argument validation: ", msg));
      failed = true;
    }
  }
  if (sig.constructor) {
    for (const auto& a : args) {
      if (a->kind != ExprKind::kLiteral) {
        Error(e, "non_lit_ext_constructor",
              "extension constructors may not be called with non-literal expressions");
        failed = true;
        break;
      }
    }
  }
  if (failed) {
    for (const auto& a : args) Check(prior, *a);
    return Answer::Fail(sig.result);
  }
  bool ok = true;
  for (size_t i = 0; i < args.size(); ++i) {
    Answer a = Expect(prior, *args[i], {sig.params[i]});
    ok = ok && a.ok;
  }
  Answer out = Answer::Success(sig.result);
  out.ok = ok;
  return out;
}

}  // namespace arbiter::internal
