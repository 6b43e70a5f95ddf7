// validation_context: error reporting with the error limit, and the cached fragment and variable facts.
#include "validation/validation_context.hpp"

#include <algorithm>
#include <unordered_set>
#include <variant>

#include "sluice/language/lexer.hpp"
#include "validation/walker.hpp"

namespace sluice::validation::detail {
namespace {

// Collects the variables used in one definition, with the types the positions expect (graphql-js
// getVariableUsages: a walk with its own TypeInfo that does not go into variable definitions).
class usage_collector final : public visitor {
 public:
  usage_collector(const type_info& types, std::vector<variable_usage>& out) : types_(types), out_(out) {}
  next enter_variable_definition(const language::variable_definition&) override { return next::skip; }
  next enter_value(const language::value& v) override {
    if (v.kind == language::value_kind::variable)
      out_.push_back({&v, types_.input_type(), types_.has_default_value(), types_.parent_input_type()});
    return next::descend;
  }

 private:
  const type_info& types_;
  std::vector<variable_usage>& out_;
};

template <typename Definition>
std::vector<variable_usage> collect_usages(const schema::schema& s, const Definition& def) {
  std::vector<variable_usage> usages;
  type_info types(s);
  usage_collector collector(types, usages);
  walker(types, collector).walk(def);
  return usages;
}

}  // namespace

validation_context::validation_context(const schema::schema& s, const language::document& doc,
                                       const type_info& types, std::size_t max_errors)
    : schema_(s), doc_(doc), types_(types), max_errors_(max_errors) {
  for (const language::definition& def : doc.definitions)
    if (const auto* f = std::get_if<language::fragment_definition>(&def))
      fragments_[f->fragment_name.text] = f;
}

validation_context::~validation_context() = default;

const language::fragment_definition* validation_context::fragment(std::string_view name) const {
  auto it = fragments_.find(name);
  return it != fragments_.end() ? it->second : nullptr;
}

void validation_context::report(std::string message, std::vector<source_location> locations) {
  if (errors_.size() >= max_errors_) {
    errors_.push_back(
        graphql_error{"Too many validation errors, error limit reached. Validation aborted.", {}, {}, {}});
    throw validation_aborted{};
  }
  errors_.push_back(graphql_error{std::move(message), std::move(locations), {}, {}});
}

void validation_context::record_abort(std::string message) {
  errors_.push_back(graphql_error{std::move(message), {}, {}, {}});
}

void validation_context::spend_fragment_work(std::size_t cost) {
  remaining_fragment_work_ -= static_cast<std::ptrdiff_t>(cost);
  if (remaining_fragment_work_ < 0) {
    record_abort("Validation aborted.");
    throw validation_aborted{};
  }
}

const std::vector<const language::fragment_spread*>& validation_context::fragment_spreads(
    const language::selection_set& set) {
  auto [it, inserted] = spreads_.try_emplace(&set);
  if (!inserted) return it->second;
  std::vector<const language::fragment_spread*>& spreads = it->second;
  std::vector<const language::selection_set*> to_visit{&set};
  while (!to_visit.empty()) {
    const language::selection_set* current = to_visit.back();
    to_visit.pop_back();
    for (const language::selection& s : *current) {
      if (const auto* spread = std::get_if<language::fragment_spread>(&s.node)) {
        spreads.push_back(spread);
      } else if (const auto* f = std::get_if<language::field>(&s.node)) {
        if (!f->selections.empty()) to_visit.push_back(&f->selections);
      } else {
        to_visit.push_back(&std::get<language::inline_fragment>(s.node).selections);
      }
    }
  }
  return spreads;
}

const std::vector<const language::fragment_definition*>& validation_context::referenced_fragments_for(
    std::vector<std::string_view> names) {
  std::vector<std::string_view> key = names;
  std::sort(key.begin(), key.end());
  auto& slot = fragments_by_names_[std::move(key)];
  if (slot) return *slot;
  slot = std::make_unique<std::vector<const language::fragment_definition*>>();
  spend_fragment_work(names.size());
  std::unordered_set<std::string_view> collected(names.begin(), names.end());
  for (std::size_t i = 0; i < names.size(); ++i) {  // `names` grows while it is read
    const language::fragment_definition* f = fragment(names[i]);
    if (f == nullptr) continue;
    slot->push_back(f);
    const auto& spreads = fragment_spreads(f->selections);
    spend_fragment_work(spreads.size());
    for (const language::fragment_spread* s : spreads)
      if (collected.insert(s->fragment_name.text).second) names.push_back(s->fragment_name.text);
  }
  return *slot;
}

const std::vector<const language::fragment_definition*>& validation_context::recursively_referenced_fragments(
    const language::operation_definition& op) {
  auto it = op_fragments_.find(&op);
  if (it != op_fragments_.end()) return *it->second;
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> seen;
  for (const language::fragment_spread* s : fragment_spreads(op.selections))
    if (seen.insert(s->fragment_name.text).second) names.push_back(s->fragment_name.text);
  const auto& fragments = referenced_fragments_for(std::move(names));
  op_fragments_.emplace(&op, &fragments);
  return fragments;
}

std::vector<const language::fragment_definition*> validation_context::recursively_referenced_fragments(
    const std::vector<const language::operation_definition*>& ops) {
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> seen;
  for (const language::operation_definition* op : ops)
    for (const language::fragment_spread* s : fragment_spreads(op->selections))
      if (seen.insert(s->fragment_name.text).second) names.push_back(s->fragment_name.text);
  return referenced_fragments_for(std::move(names));
}

const std::vector<variable_usage>& validation_context::variable_usages(
    const language::operation_definition& op) {
  auto it = usages_.find(&op);
  if (it == usages_.end()) it = usages_.emplace(&op, collect_usages(schema_, op)).first;
  return it->second;
}

const std::vector<variable_usage>& validation_context::variable_usages(
    const language::fragment_definition& fragment) {
  auto it = usages_.find(&fragment);
  if (it == usages_.end()) it = usages_.emplace(&fragment, collect_usages(schema_, fragment)).first;
  return it->second;
}

const std::vector<variable_usage>& validation_context::recursive_variable_usages(
    const language::operation_definition& op) {
  auto it = recursive_usages_.find(&op);
  if (it != recursive_usages_.end()) return it->second;
  const auto& fragments = recursively_referenced_fragments(op);
  auto fragment_it = fragment_list_usages_.find(&fragments);
  if (fragment_it == fragment_list_usages_.end()) {
    spend_fragment_work(fragments.size());
    std::vector<variable_usage> all;
    for (const language::fragment_definition* f : fragments) {
      const auto& local = variable_usages(*f);
      spend_fragment_work(local.size());
      all.insert(all.end(), local.begin(), local.end());
    }
    fragment_it = fragment_list_usages_.emplace(&fragments, std::move(all)).first;
  }
  const std::vector<variable_usage>& fragment_usages = fragment_it->second;
  spend_fragment_work(fragment_usages.size());
  std::vector<variable_usage> usages = variable_usages(op);
  usages.insert(usages.end(), fragment_usages.begin(), fragment_usages.end());
  return recursive_usages_.emplace(&op, std::move(usages)).first->second;
}

source_location validation_context::selection_set_location(const language::field& f) const {
  const source_location start = f.loc.to_source_location();
  if (!doc_.source || f.loc.offset >= doc_.source->size()) return start;
  // Lex from the field: the first `{` outside parentheses opens its selection set.
  language::lexer lex(std::string_view(*doc_.source).substr(f.loc.offset));
  int depth = 0;
  try {
    for (;;) {
      const language::token& t = lex.advance();
      if (t.kind == language::token_kind::eof) return start;
      if (t.kind == language::token_kind::paren_l) ++depth;
      if (t.kind == language::token_kind::paren_r) --depth;
      if (t.kind == language::token_kind::brace_l && depth == 0) {
        // The lexer counts lines and columns from the field's position.
        if (t.loc.line == 1) return {start.line, start.column + t.loc.column - 1};
        return {start.line + t.loc.line - 1, t.loc.column};
      }
    }
  } catch (const language::syntax_error&) {
    return start;  // not the text the document was parsed from
  }
}

}  // namespace sluice::validation::detail
