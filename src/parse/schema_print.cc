// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// SchemaSource back to text: the `.cedarschema` syntax and Cedar's JSON
// format, for `arbiter translate-schema`. Printing works from the
// declarations as written, so namespaces, common types and annotations
// survive a translation; names are printed as written, which means the same
// thing in either format. Conventions follow Cedar's own translator:
//
//   - a text type name becomes `{"type": "EntityOrCommon", "name": …}`, and
//     `context: T` becomes `{"type": "T"}` (a common type reference);
//   - JSON's builtin `"Long"`, `"String"`, `"Boolean"` and `"Extension"`
//     types print as `__cedar::Long` etc., which no declaration can shadow;
//   - an action without `appliesTo` gets empty `principalTypes` and
//     `resourceTypes` in JSON, and a JSON action that applies to no principal
//     or no resource type prints without `appliesTo` (both mean the action
//     applies to no request);
//   - a JSON entity shape given as a common type name is printed inlined,
//     since the text format only allows a record there.
//
// Also here: DumpSchemaModel, a canonical dump of a resolved model.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/parse/schema_source.h"

namespace arbiter::internal {
namespace {

using Json = nlohmann::ordered_json;
using K = TypeExpr::Kind;

// --- .cedarschema
// -------------------------------------------------------------

// An identifier where the grammar allows one, else a string literal.
std::string NameText(std::string_view name) {
  if (IsSchemaIdent(name) && !IsReservedWord(name)) return std::string(name);
  std::string out;
  AppendQuotedString(name, &out);
  return out;
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendQuotedString(s, &out);
  return out;
}

class TextPrinter {
 public:
  explicit TextPrinter(const SchemaSource& source) : source_(source) {}

  std::string Print() {
    bool first = true;
    for (const NamespaceBlock& block : source_.namespaces) {
      if (block.name.empty()) {
        for (const SchemaDecl& decl : block.decls) {
          if (!first) out_ += "\n";
          first = false;
          PrintDecl(decl, block.name, 0);
        }
        continue;
      }
      if (!first) out_ += "\n";
      first = false;
      PrintAnnotations(block.annotations, 0);
      absl::StrAppend(&out_, "namespace ", block.name, " {\n");
      for (size_t i = 0; i < block.decls.size(); ++i) {
        if (i > 0) out_ += "\n";
        PrintDecl(block.decls[i], block.name, 2);
      }
      out_ += "}\n";
    }
    return std::move(out_);
  }

 private:
  void Indent(int n) { out_.append(static_cast<size_t>(n), ' '); }

  void PrintAnnotations(const SchemaAnnotations& annotations, int indent) {
    for (const SchemaAnnotation& a : annotations) {
      Indent(indent);
      absl::StrAppend(&out_, "@", a.key);
      if (a.value) absl::StrAppend(&out_, "(", Quoted(*a.value), ")");
      out_ += "\n";
    }
  }

  void PrintType(const TypeExpr& t, int indent) {
    switch (t.kind) {
      case K::kName:
      case K::kEntity:
      case K::kCommonRef:
        out_ += t.name;
        return;
      case K::kBool:
        out_ += "__cedar::Bool";
        return;
      case K::kLong:
        out_ += "__cedar::Long";
        return;
      case K::kString:
        out_ += "__cedar::String";
        return;
      case K::kExtension:
        absl::StrAppend(&out_, "__cedar::", t.name);
        return;
      case K::kSet:
        out_ += "Set<";
        if (t.element) PrintType(*t.element, indent);
        out_ += ">";
        return;
      case K::kRecord:
        PrintRecord(t, indent);
        return;
    }
  }

  void PrintRecord(const TypeExpr& t, int indent) {
    if (t.attrs.empty()) {
      out_ += "{}";
      return;
    }
    out_ += "{\n";
    for (size_t i = 0; i < t.attrs.size(); ++i) {
      const AttrDecl& a = t.attrs[i];
      PrintAnnotations(a.annotations, indent + 2);
      Indent(indent + 2);
      absl::StrAppend(&out_, NameText(a.name), a.required ? "" : "?", ": ");
      PrintType(a.type, indent + 2);
      out_ += i + 1 < t.attrs.size() ? ",\n" : "\n";
    }
    Indent(indent);
    out_ += "}";
  }

  // The record a common type name stands for, following aliases, as the
  // resolver would find it from namespace `ns`; nullptr if there is none.
  const TypeExpr* CommonRecord(std::string ns, std::string name) {
    if (commons_.empty()) {
      for (const NamespaceBlock& block : source_.namespaces) {
        for (const SchemaDecl& decl : block.decls) {
          const auto* c = std::get_if<CommonTypeDecl>(&decl);
          if (c == nullptr) continue;
          std::string fq = block.name.empty()
                               ? c->name.name
                               : absl::StrCat(block.name, "::", c->name.name);
          commons_.try_emplace(std::move(fq), &c->type, &block.name);
        }
      }
    }
    for (int hops = 0; hops < 64; ++hops) {
      std::vector<std::string> candidates;
      if (name.find("::") != std::string::npos || ns.empty()) {
        candidates = {name};
      } else {
        candidates = {absl::StrCat(ns, "::", name), name};
      }
      const TypeExpr* found = nullptr;
      std::string found_ns;
      for (const std::string& candidate : candidates) {
        auto it = commons_.find(candidate);
        if (it != commons_.end()) {
          found = it->second.first;
          found_ns = *it->second.second;
          break;
        }
      }
      if (found == nullptr) return nullptr;
      if (found->kind == K::kRecord) return found;
      if (found->kind != K::kName && found->kind != K::kCommonRef)
        return nullptr;
      ns = found_ns;
      name = found->name;
    }
    return nullptr;
  }

  void PrintDecl(const SchemaDecl& decl, const std::string& ns, int indent) {
    if (const auto* c = std::get_if<CommonTypeDecl>(&decl)) {
      PrintAnnotations(c->annotations, indent);
      Indent(indent);
      absl::StrAppend(&out_, "type ", c->name.name, " = ");
      PrintType(c->type, indent);
      out_ += ";\n";
    } else if (const auto* e = std::get_if<EntityDecl>(&decl)) {
      PrintEntity(*e, ns, indent);
    } else if (const auto* a = std::get_if<ActionDecl>(&decl)) {
      PrintAction(*a, indent);
    }
  }

  void PrintEntity(const EntityDecl& e, const std::string& ns, int indent) {
    PrintAnnotations(e.annotations, indent);
    Indent(indent);
    out_ += "entity ";
    for (size_t i = 0; i < e.names.size(); ++i) {
      absl::StrAppend(&out_, i > 0 ? ", " : "", e.names[i].name);
    }
    if (!e.member_of.empty()) {
      out_ += " in [";
      for (size_t i = 0; i < e.member_of.size(); ++i) {
        absl::StrAppend(&out_, i > 0 ? ", " : "", e.member_of[i].name);
      }
      out_ += "]";
    }
    if (e.enum_ids) {
      out_ += " enum [";
      for (size_t i = 0; i < e.enum_ids->size(); ++i) {
        absl::StrAppend(&out_, i > 0 ? ", " : "", Quoted((*e.enum_ids)[i]));
      }
      out_ += "]";
    }
    if (e.shape) {
      const TypeExpr* record =
          e.shape->kind == K::kRecord ? &*e.shape : nullptr;
      if (e.shape->kind == K::kName || e.shape->kind == K::kCommonRef) {
        record = CommonRecord(ns, e.shape->name);
      }
      if (record != nullptr && !record->attrs.empty()) {
        out_ += " = ";
        PrintRecord(*record, indent);
      }
    }
    if (e.tags) {
      out_ += " tags ";
      PrintType(*e.tags, indent);
    }
    out_ += ";\n";
  }

  void PrintAction(const ActionDecl& a, int indent) {
    PrintAnnotations(a.annotations, indent);
    Indent(indent);
    out_ += "action ";
    for (size_t i = 0; i < a.names.size(); ++i) {
      absl::StrAppend(&out_, i > 0 ? ", " : "", NameText(a.names[i].name));
    }
    if (a.member_of && !a.member_of->empty()) {
      out_ += " in [";
      for (size_t i = 0; i < a.member_of->size(); ++i) {
        const ActionRef& ref = (*a.member_of)[i];
        if (i > 0) out_ += ", ";
        if (ref.type) absl::StrAppend(&out_, *ref.type, "::");
        out_ += Quoted(ref.id);
      }
      out_ += "]";
    }
    const AppliesTo* applies = a.applies_to ? &*a.applies_to : nullptr;
    if (applies != nullptr && !applies->principals.empty() &&
        !applies->resources.empty()) {
      out_ += " appliesTo {\n";
      for (auto [what, types] : {std::pair{"principal", &applies->principals},
                                 std::pair{"resource", &applies->resources}}) {
        Indent(indent + 2);
        absl::StrAppend(&out_, what, ": [");
        for (size_t i = 0; i < types->size(); ++i) {
          absl::StrAppend(&out_, i > 0 ? ", " : "", (*types)[i].name);
        }
        out_ += "]";
        if (std::string_view(what) == "principal" || applies->context)
          out_ += ",";
        out_ += "\n";
      }
      if (applies->context) {
        Indent(indent + 2);
        out_ += "context: ";
        PrintType(*applies->context, indent + 2);
        out_ += "\n";
      }
      Indent(indent);
      out_ += "}";
    }
    out_ += ";\n";
  }

  const SchemaSource& source_;
  std::string out_;
  // Common types by fully qualified name (built on first use).
  absl::flat_hash_map<std::string,
                      std::pair<const TypeExpr*, const std::string*>>
      commons_;
};

// --- JSON -------------------------------------------------------------------

// Adds a member to a JSON object without ordered_json's linear search for
// an existing key. INVARIANT: `key` is not in `object` yet (a resolved
// schema has no duplicate names, attributes or annotation keys).
void Append(Json* object, const std::string& key, Json value) {
  using Members = std::vector<std::pair<const std::string, Json>>;
  static_cast<Members&>(object->get_ref<Json::object_t&>())
      .emplace_back(key, std::move(value));
}

Json AnnotationsJson(const SchemaAnnotations& annotations) {
  Json out = Json::object();
  for (const SchemaAnnotation& a : annotations)
    Append(&out, a.key, a.value.value_or(""));
  return out;
}

bool IsEmptyRecord(const TypeExpr& t) {
  return t.kind == K::kRecord && t.attrs.empty();
}

Json TypeJson(const TypeExpr& t) {
  Json out = Json::object();
  switch (t.kind) {
    case K::kName:
      out["type"] = "EntityOrCommon";
      out["name"] = t.name;
      break;
    case K::kSet:
      out["type"] = "Set";
      out["element"] = t.element ? TypeJson(*t.element) : Json::object();
      break;
    case K::kRecord: {
      out["type"] = "Record";
      Json attrs = Json::object();
      for (const AttrDecl& a : t.attrs) {
        Json attr = TypeJson(a.type);
        if (!a.required) attr["required"] = false;
        if (!a.annotations.empty())
          attr["annotations"] = AnnotationsJson(a.annotations);
        Append(&attrs, a.name, std::move(attr));
      }
      out["attributes"] = std::move(attrs);
      break;
    }
    case K::kBool:
      out["type"] = "Boolean";
      break;
    case K::kLong:
      out["type"] = "Long";
      break;
    case K::kString:
      out["type"] = "String";
      break;
    case K::kEntity:
      out["type"] = "Entity";
      out["name"] = t.name;
      break;
    case K::kExtension:
      out["type"] = "Extension";
      out["name"] = t.name;
      break;
    case K::kCommonRef:
      out["type"] = t.name;
      break;
  }
  return out;
}

Json NamesJson(const std::vector<NameRef>& names) {
  Json out = Json::array();
  for (const NameRef& n : names) out.push_back(n.name);
  return out;
}

struct NamespaceJson {
  Json common_types = Json::object();
  Json entity_types = Json::object();
  Json actions = Json::object();
  Json annotations = Json::object();
};

void AddDecl(const SchemaDecl& decl, NamespaceJson* ns) {
  if (const auto* c = std::get_if<CommonTypeDecl>(&decl)) {
    Json t = TypeJson(c->type);
    if (!c->annotations.empty())
      t["annotations"] = AnnotationsJson(c->annotations);
    Append(&ns->common_types, c->name.name, std::move(t));
  } else if (const auto* e = std::get_if<EntityDecl>(&decl)) {
    Json entity = Json::object();
    if (!e->member_of.empty())
      entity["memberOfTypes"] = NamesJson(e->member_of);
    if (e->shape && !IsEmptyRecord(*e->shape))
      entity["shape"] = TypeJson(*e->shape);
    if (e->tags) entity["tags"] = TypeJson(*e->tags);
    if (e->enum_ids) entity["enum"] = *e->enum_ids;
    if (!e->annotations.empty())
      entity["annotations"] = AnnotationsJson(e->annotations);
    for (const NameRef& name : e->names)
      Append(&ns->entity_types, name.name, entity);
  } else if (const auto* a = std::get_if<ActionDecl>(&decl)) {
    Json action = Json::object();
    Json applies = Json::object();
    if (a->applies_to) {
      applies["principalTypes"] = NamesJson(a->applies_to->principals);
      applies["resourceTypes"] = NamesJson(a->applies_to->resources);
      if (a->applies_to->context && !IsEmptyRecord(*a->applies_to->context)) {
        applies["context"] = TypeJson(*a->applies_to->context);
      }
    } else {
      applies["principalTypes"] = Json::array();
      applies["resourceTypes"] = Json::array();
    }
    action["appliesTo"] = std::move(applies);
    if (a->member_of) {
      Json refs = Json::array();
      for (const ActionRef& ref : *a->member_of) {
        Json r = Json::object();
        r["id"] = ref.id;
        if (ref.type) r["type"] = *ref.type;
        refs.push_back(std::move(r));
      }
      action["memberOf"] = std::move(refs);
    }
    if (!a->annotations.empty())
      action["annotations"] = AnnotationsJson(a->annotations);
    for (const NameRef& name : a->names)
      Append(&ns->actions, name.name, action);
  }
}

// --- model dump
// -----------------------------------------------------------------

void DumpType(const SchemaTypePtr& t, std::string* out) {
  if (t == nullptr) {
    *out += "<null>";
    return;
  }
  using TK = SchemaType::Kind;
  switch (t->kind) {
    case TK::kBool:
      *out += "Bool";
      return;
    case TK::kLong:
      *out += "Long";
      return;
    case TK::kString:
      *out += "String";
      return;
    case TK::kIpAddr:
      *out += "ipaddr";
      return;
    case TK::kDecimal:
      *out += "decimal";
      return;
    case TK::kDatetime:
      *out += "datetime";
      return;
    case TK::kDuration:
      *out += "duration";
      return;
    case TK::kEntity:
      absl::StrAppend(out, "entity ", Av(t->entity_type.str()));
      return;
    case TK::kSet:
      *out += "Set<";
      DumpType(t->element, out);
      *out += ">";
      return;
    case TK::kRecord: {
      std::vector<const std::pair<Symbol, RecordAttr>*> attrs;
      for (const auto& a : t->attrs) attrs.push_back(&a);
      std::sort(attrs.begin(), attrs.end(), [](const auto* x, const auto* y) {
        return x->first.str() < y->first.str();
      });
      *out += "{";
      for (size_t i = 0; i < attrs.size(); ++i) {
        absl::StrAppend(out, i > 0 ? ", " : "", Quoted(attrs[i]->first.str()),
                        attrs[i]->second.required ? "" : "?", ": ");
        DumpType(attrs[i]->second.type, out);
      }
      *out += "}";
      return;
    }
  }
}

template <typename Range>
std::string SortedNames(const Range& symbols) {
  std::vector<std::string> names;
  for (Symbol s : symbols) names.emplace_back(s.str());
  std::sort(names.begin(), names.end());
  return absl::StrJoin(names, ", ");
}

template <typename Range>
std::string SortedUids(const Range& uids) {
  std::vector<std::string> names;
  for (const EntityUid& u : uids) names.push_back(u.ToString());
  std::sort(names.begin(), names.end());
  return absl::StrJoin(names, ", ");
}

}  // namespace

std::string PrintCedarSchema(const SchemaSource& source) {
  return TextPrinter(source).Print();
}

std::string PrintJsonSchema(const SchemaSource& source) {
  // The text format's runs of the empty namespace form one JSON namespace.
  std::vector<std::pair<std::string, NamespaceJson>> namespaces;
  absl::flat_hash_map<std::string, size_t> index;
  for (const NamespaceBlock& block : source.namespaces) {
    auto [it, added] = index.try_emplace(block.name, namespaces.size());
    if (added) namespaces.emplace_back(block.name, NamespaceJson{});
    NamespaceJson& ns = namespaces[it->second].second;
    for (const SchemaAnnotation& a : block.annotations) {
      ns.annotations[a.key] = a.value.value_or("");
    }
    for (const SchemaDecl& decl : block.decls) AddDecl(decl, &ns);
  }
  Json root = Json::object();
  for (auto& [name, ns] : namespaces) {
    Json def = Json::object();
    if (!ns.common_types.empty())
      def["commonTypes"] = std::move(ns.common_types);
    def["entityTypes"] = std::move(ns.entity_types);
    def["actions"] = std::move(ns.actions);
    if (!ns.annotations.empty()) def["annotations"] = std::move(ns.annotations);
    Append(&root, name, std::move(def));
  }
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string DumpSchemaModel(const SchemaModel& model) {
  std::string out;
  std::vector<const EntityTypeInfo*> types;
  for (const auto& [name, info] : model.entity_types) types.push_back(&info);
  std::sort(types.begin(), types.end(), [](const auto* a, const auto* b) {
    return a->name.str() < b->name.str();
  });
  for (const EntityTypeInfo* t : types) {
    absl::StrAppend(&out, "entity ", Av(t->name.str()),
                    "\n  parents: ", SortedNames(t->member_of),
                    "\n  ancestors: ", SortedNames(t->ancestors),
                    "\n  shape: ");
    DumpType(t->shape, &out);
    if (t->tags != nullptr) {
      out += "\n  tags: ";
      DumpType(t->tags, &out);
    }
    if (t->enum_ids) {
      std::vector<std::string> ids;
      for (const std::string& id : *t->enum_ids) ids.push_back(Quoted(id));
      absl::StrAppend(&out, "\n  enum: [", absl::StrJoin(ids, ", "), "]");
    }
    out += "\n";
  }
  std::vector<const ActionInfo*> actions;
  for (const auto& [uid, info] : model.actions) actions.push_back(&info);
  std::sort(actions.begin(), actions.end(), [](const auto* a, const auto* b) {
    return a->uid.ToString() < b->uid.ToString();
  });
  for (const ActionInfo* a : actions) {
    absl::StrAppend(&out, "action ", a->uid.ToString(),
                    "\n  parents: ", SortedUids(a->member_of),
                    "\n  ancestors: ", SortedUids(a->ancestors),
                    "\n  principals: ", SortedNames(a->principal_types),
                    "\n  resources: ", SortedNames(a->resource_types),
                    "\n  context: ");
    DumpType(a->context, &out);
    out += "\n";
  }
  return out;
}

}  // namespace arbiter::internal
