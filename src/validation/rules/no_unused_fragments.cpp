// NoUnusedFragments: every fragment defined in a document is used by one of its operations (spec 5.5.1.4).
#include "validation/rules/specified_rules.hpp"

#include <unordered_set>

namespace sluice::validation::detail {
namespace {

class no_unused_fragments final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition& op) override {
    operations_.push_back(&op);
    return next::skip;
  }
  next enter_fragment_definition(const language::fragment_definition& f) override {
    fragments_.push_back(&f);
    return next::skip;
  }
  void leave_document(const language::document&) override {
    std::unordered_set<std::string_view> used;
    for (const language::fragment_definition* f : ctx_.recursively_referenced_fragments(operations_))
      used.insert(f->fragment_name.text);
    for (const language::fragment_definition* f : fragments_)
      if (!used.contains(f->fragment_name.text))
        ctx_.report("Fragment \"" + std::string(f->fragment_name.text) + "\" is never used.",
                    {f->loc.to_source_location()});
  }

 private:
  std::vector<const language::operation_definition*> operations_;
  std::vector<const language::fragment_definition*> fragments_;
};

}  // namespace

std::unique_ptr<rule> make_no_unused_fragments(validation_context& ctx) {
  return std::make_unique<no_unused_fragments>(ctx);
}

}  // namespace sluice::validation::detail
