// The AST printer: the inverse of the parser, in graphql-js's print() layout.
#include "sluice/language/printer.hpp"

#include <cstdio>
#include <vector>

namespace sluice::language {
namespace {

constexpr std::size_t max_line_length = 80;

std::string indent(std::string_view s) {
  if (s.empty()) return {};
  std::string out = "  ";
  for (char c : s) {
    out.push_back(c);
    if (c == '\n') out += "  ";
  }
  return out;
}

// "{\n  a\n  b\n}" around the given lines.
std::string block(const std::vector<std::string>& lines) {
  if (lines.empty()) return {};
  std::string joined;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) joined.push_back('\n');
    joined += lines[i];
  }
  return "{\n" + indent(joined) + "\n}";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!first) out += sep;
    first = false;
    out += p;
  }
  return out;
}

std::string wrap(std::string_view start, const std::string& s, std::string_view end) {
  if (s.empty()) return {};
  return std::string(start) + s + std::string(end);
}

class printer {
 public:
  std::string value_(const value& v) {
    switch (v.kind) {
      case value_kind::variable: return "$" + std::string(v.raw);
      case value_kind::int_:
      case value_kind::float_:
      case value_kind::enum_: return std::string(v.raw);
      case value_kind::string: return v.block ? print_block_string(v.string_value) : print_string(v.string_value);
      case value_kind::boolean: return v.boolean ? "true" : "false";
      case value_kind::null: return "null";
      case value_kind::list: {
        std::vector<std::string> items;
        for (const auto& item : v.list) items.push_back(value_(item));
        return "[" + join(items, ", ") + "]";
      }
      case value_kind::object: {
        std::vector<std::string> fields;
        for (const auto& f : v.fields) fields.push_back(std::string(f.field_name.text) + ": " + value_(f.val));
        return "{" + join(fields, ", ") + "}";
      }
    }
    return {};
  }

  std::string type_(const type& t) {
    switch (t.kind) {
      case type_kind::named: return std::string(t.name);
      case type_kind::list: return "[" + type_(*t.of_type) + "]";
      case type_kind::non_null: return type_(*t.of_type) + "!";
    }
    return {};
  }

  std::string arguments(list<argument> args, std::size_t prefix_length) {
    std::vector<std::string> parts;
    for (const auto& a : args) parts.push_back(std::string(a.arg_name.text) + ": " + value_(a.val));
    std::string line = wrap("(", join(parts, ", "), ")");
    if (prefix_length + line.size() > max_line_length) line = wrap("(\n", indent(join(parts, "\n")), "\n)");
    return line;
  }

  std::string directives(list<directive> ds) {
    std::vector<std::string> parts;
    for (const auto& d : ds) parts.push_back("@" + std::string(d.directive_name.text) + arguments(d.arguments, 0));
    return join(parts, " ");
  }

  std::string selections(const selection_set& set) {
    std::vector<std::string> lines;
    for (const auto& s : set) lines.push_back(selection_(s));
    return block(lines);
  }

  std::string selection_(const selection& s) {
    if (const auto* f = std::get_if<field>(&s.node)) {
      std::string prefix = wrap("", std::string(f->alias.text), ": ") + std::string(f->field_name.text);
      std::string out = prefix + arguments(f->arguments, prefix.size());
      return join({out, directives(f->directives), selections(f->selections)}, " ");
    }
    if (const auto* sp = std::get_if<fragment_spread>(&s.node))
      return "..." + std::string(sp->fragment_name.text) + wrap(" ", directives(sp->directives), "");
    const auto& in = std::get<inline_fragment>(s.node);
    return join({"...", wrap("on ", std::string(in.type_condition.text), ""), directives(in.directives),
                 selections(in.selections)},
                " ");
  }

  std::string description(const std::optional<std::string_view>& d) {
    if (!d) return {};
    return print_block_string(*d) + "\n";
  }

  std::string input_value(const input_value_definition& v) {
    std::string out = description(v.description) + std::string(v.value_name.text) + ": " + type_(v.value_type);
    if (v.default_value) out += " = " + value_(*v.default_value);
    return join({out, directives(v.directives)}, " ");
  }

  std::string argument_defs(list<input_value_definition> args) {
    std::vector<std::string> parts;
    bool multiline = false;
    for (const auto& a : args) {
      parts.push_back(input_value(a));
      if (a.description) multiline = true;
    }
    if (multiline) return wrap("(\n", indent(join(parts, "\n")), "\n)");
    return wrap("(", join(parts, ", "), ")");
  }

  std::string definition_(const definition& def) {
    if (const auto* op = std::get_if<operation_definition>(&def)) {
      static constexpr std::string_view names[] = {"query", "mutation", "subscription"};
      std::vector<std::string> vars;
      for (const auto& v : op->variables) {
        std::string s = description(v.description) + "$" + std::string(v.variable.text) + ": " + type_(v.var_type);
        if (v.default_value) s += " = " + value_(*v.default_value);
        vars.push_back(join({s, directives(v.directives)}, " "));
      }
      std::string prefix = join({std::string(names[static_cast<int>(op->operation)]),
                                 join({std::string(op->op_name.text), wrap("(", join(vars, ", "), ")")}, ""),
                                 directives(op->directives)},
                                " ");
      if (prefix == "query" && !op->description) return selections(op->selections);
      return description(op->description) + prefix + " " + selections(op->selections);
    }
    if (const auto* fr = std::get_if<fragment_definition>(&def)) {
      return description(fr->description) + "fragment " + std::string(fr->fragment_name.text) + " on " + std::string(fr->type_condition.text) +
             " " + wrap("", directives(fr->directives), " ") + selections(fr->selections);
    }
    if (const auto* sc = std::get_if<schema_definition>(&def)) {
      static constexpr std::string_view names[] = {"query", "mutation", "subscription"};
      std::vector<std::string> ops;
      for (const auto& r : sc->operation_types)
        ops.push_back(std::string(names[static_cast<int>(r.operation)]) + ": " + std::string(r.type_name.text));
      return description(sc->description) +
             join({sc->extension ? "extend schema" : "schema", directives(sc->directives), block(ops)}, " ");
    }
    if (const auto* dd = std::get_if<directive_definition>(&def)) {
      std::vector<std::string> locs;
      for (const auto& l : dd->locations) locs.emplace_back(l.text);
      return description(dd->description) + "directive @" + std::string(dd->directive_name.text) +
             argument_defs(dd->arguments) + (dd->repeatable ? " repeatable" : "") + " on " + join(locs, " | ");
    }
    const auto& td = std::get<type_definition>(def);
    static constexpr std::string_view kinds[] = {"scalar", "type", "interface", "union", "enum", "input"};
    std::string head = td.extension ? "extend " : description(td.description);
    head += std::string(kinds[static_cast<int>(td.kind)]) + " " + std::string(td.type_name.text);
    std::vector<std::string> interfaces, members, body;
    for (const auto& i : td.interfaces) interfaces.emplace_back(i.text);
    for (const auto& m : td.members) members.emplace_back(m.text);
    for (const auto& f : td.fields)
      body.push_back(join({description(f.description) + std::string(f.field_name.text) + argument_defs(f.arguments) +
                               ": " + type_(f.field_type),
                           directives(f.directives)},
                          " "));
    for (const auto& v : td.values)
      body.push_back(join({description(v.description) + std::string(v.value_name.text), directives(v.directives)}, " "));
    for (const auto& v : td.input_fields) body.push_back(input_value(v));
    return join({head, wrap("implements ", join(interfaces, " & "), ""), directives(td.directives),
                 wrap("= ", join(members, " | "), ""), block(body)},
                " ");
  }
};

}  // namespace

std::string print_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string print_block_string(std::string_view s) {
  std::string escaped;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\"\"\"") == 0) {
      escaped += "\\\"\"\"";
      i += 2;
    } else {
      escaped.push_back(s[i]);
    }
  }
  bool multiline = escaped.find('\n') != std::string::npos;
  bool leading_space = !escaped.empty() && (escaped[0] == ' ' || escaped[0] == '\t');
  bool trailing_quote = !escaped.empty() && escaped.back() == '"';
  bool trailing_backslash = !escaped.empty() && escaped.back() == '\\';
  bool force_newline = multiline || trailing_quote || trailing_backslash;
  std::string out = "\"\"\"";
  if (force_newline && !leading_space) out.push_back('\n');
  out += escaped;
  if (force_newline) out.push_back('\n');
  out += "\"\"\"";
  return out;
}

std::string print(const document& doc) {
  printer p;
  std::string out;
  for (std::size_t i = 0; i < doc.definitions.size(); ++i) {
    if (i) out += "\n\n";
    out += p.definition_(doc.definitions[i]);
  }
  return out;
}

std::string print(const value& v) { return printer{}.value_(v); }
std::string print(const type& t) { return printer{}.type_(t); }
std::string print(const selection_set& set) { return printer{}.selections(set); }

}  // namespace sluice::language
