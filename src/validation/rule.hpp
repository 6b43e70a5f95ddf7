// rule: the base of every validation rule: a visitor of the walk with the shared validation_context.
#pragma once

#include "validation/validation_context.hpp"
#include "validation/visitor.hpp"

namespace sluice::validation::detail {

// One rule of spec section 5. A rule is created for one validation and keeps its state across the walk.
class rule : public visitor {
 public:
  explicit rule(validation_context& ctx) : ctx_(ctx) {}

 protected:
  validation_context& ctx_;
};

}  // namespace sluice::validation::detail
