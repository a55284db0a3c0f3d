// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// `arbiter translate-schema [--from json|cedar] [--to json|cedar] FILE`:
// reads a schema in one of Cedar's two formats and prints it in the other
// (or, with --to naming the input's own format, reformatted). The input
// format comes from --from, else from the file name (`.json` is JSON,
// anything else the `.cedarschema` text format). The schema is fully
// checked first: a schema with errors prints every error and exits 1.

#include <cstdio>
#include <string>

#include "arbiter/schema.h"
#include "tools/cli_common.h"

namespace arbiter::cli {

int RunTranslateSchema(int argc, char** argv) {
  constexpr char kUsage[] =
      "usage: arbiter translate-schema [--from json|cedar] [--to json|cedar] "
      "FILE\n";
  std::string from, to, path;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--from" || a == "--to") && i + 1 < argc) {
      std::string v = argv[++i];
      if (v != "json" && v != "cedar") {
        std::fprintf(stderr,
                     "arbiter: error: translate-schema: `%s` must be `json` "
                     "or `cedar`, not `%s`\n%s",
                     a.c_str(), v.c_str(), kUsage);
        return 1;
      }
      (a == "--from" ? from : to) = v;
    } else if (a.empty() || a[0] == '-' || !path.empty()) {
      std::fprintf(stderr,
                   "arbiter: error: translate-schema: unexpected argument "
                   "`%s`\n%s",
                   a.c_str(), kUsage);
      return 1;
    } else {
      path = a;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr,
                 "arbiter: error: translate-schema: no schema file given\n%s",
                 kUsage);
    return 1;
  }
  if (from.empty()) {
    bool json =
        path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
    from = json ? "json" : "cedar";
  }
  if (to.empty()) to = from == "json" ? "cedar" : "json";

  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    std::fprintf(stderr, "arbiter: error: %s\n",
                 std::string(text.status().message()).c_str());
    return 1;
  }
  SchemaParseOptions options;
  options.file_name = path;
  auto schema = from == "json" ? Schema::FromJson(*text, options)
                               : Schema::Parse(*text, options);
  if (!schema.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(schema.status().message()).c_str());
    return 1;
  }
  std::string out =
      to == "json" ? (*schema)->ToJson() : (*schema)->ToCedarSchema();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace arbiter::cli
