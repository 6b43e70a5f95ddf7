// OverlappingFieldsCanBeMerged as a rule of the walk: hands every selection set to the checker (spec 5.3.2).
#include "validation/rules/specified_rules.hpp"

#include "validation/rules/overlapping_fields_can_be_merged.hpp"

namespace sluice::validation::detail {
namespace {

class overlapping_fields_rule final : public rule {
 public:
  explicit overlapping_fields_rule(validation_context& ctx)
      : rule(ctx),
        checker_(ctx.schema(), ctx.fragments(), [this](std::string message, std::vector<source_location> l) {
          sink(std::move(message), std::move(l));
        }) {}

  next enter_selection_set(const language::selection_set& set) override {
    checker_.check_selection_set(ctx_.types().parent_type(), set);
    if (checker_.aborted() || stopped_) throw validation_aborted{};
    return next::descend;
  }

 private:
  // Errors come back through here. The checker is not stopped in the middle of a check: past the error limit,
  // or after its own "Validation aborted.", the walk stops once the check returns.
  void sink(std::string message, std::vector<source_location> locations) {
    if (stopped_) return;
    if (locations.empty()) {
      ctx_.record_abort(std::move(message));  // graphql-js adds it without counting it against the limit
      stopped_ = true;
      return;
    }
    try {
      ctx_.report(std::move(message), std::move(locations));
    } catch (const validation_aborted&) {
      stopped_ = true;
    }
  }

  overlapping_fields_checker checker_;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<rule> make_overlapping_fields_can_be_merged(validation_context& ctx) {
  return std::make_unique<overlapping_fields_rule>(ctx);
}

}  // namespace sluice::validation::detail
