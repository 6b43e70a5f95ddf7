// Live queries in the schema (build_options::live_queries): the @live directive, and every Query root field
// mirrored under the subscription root type, written as SDL added to the user's.
#include "schema/live_sdl.hpp"

#include "sluice/language/printer.hpp"

namespace sluice::schema::detail {
namespace {

void write_description(std::string& out, const std::optional<std::string>& description, const char* indent) {
  if (!description) return;
  out += indent;
  out += language::print_string(*description);
  out += '\n';
}

void write_deprecation(std::string& out, const std::optional<std::string>& reason) {
  if (!reason) return;
  out += " @deprecated(reason: ";
  out += language::print_string(*reason);
  out += ')';
}

void write_field(std::string& out, const field& f) {
  write_description(out, f.description, "  ");
  out += "  ";
  out += f.name;
  if (!f.arguments.empty()) {
    out += '(';
    bool first = true;
    for (const auto& arg : f.arguments) {
      if (!first) out += ", ";
      first = false;
      if (arg.description) {
        out += language::print_string(*arg.description);
        out += ' ';
      }
      out += arg.name;
      out += ": ";
      out += arg.value_type->to_string();
      if (arg.default_literal != nullptr) {
        out += " = ";
        out += language::print(*arg.default_literal);
      }
      write_deprecation(out, arg.deprecation_reason);
    }
    out += ')';
  }
  out += ": ";
  out += f.field_type->to_string();
  write_deprecation(out, f.deprecation_reason);
  out += '\n';
}

}  // namespace

std::string live_query_sdl(const schema& built, bool has_schema_definition) {
  std::string out;
  if (built.find_directive("live") == nullptr) {
    out +=
        "\"Makes a query live: its result is sent again whenever it changes (interval: the refetch interval in "
        "milliseconds, 0 for invalidations only; patch: JSON Patch deltas after the first result).\"\n"
        "directive @live(if: Boolean = true, interval: Int, patch: Boolean = false) on QUERY | SUBSCRIPTION\n";
  }
  const object_type* query = built.query_type();
  if (query == nullptr) return out;
  const object_type* subscription = built.subscription_type();
  std::string fields;
  for (const auto& f : query->fields())
    if (subscription == nullptr || subscription->find_field(f.name) == nullptr) write_field(fields, f);
  if (fields.empty()) return out;
  if (subscription != nullptr) {
    out += "extend type " + subscription->name() + " {\n" + fields + "}\n";
    return out;
  }
  std::string name = "Subscription";
  while (built.find_type(name) != nullptr) name = "Live" + name;
  out += "type " + name + " {\n" + fields + "}\n";
  if (has_schema_definition) {
    out += "extend schema { subscription: " + name + " }\n";
  } else if (name != "Subscription") {
    out += "schema { query: " + query->name();
    if (const auto* mutation = built.mutation_type()) out += " mutation: " + mutation->name();
    out += " subscription: " + name + " }\n";
  }
  return out;
}

}  // namespace sluice::schema::detail
