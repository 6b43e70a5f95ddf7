// One PostgreSQL server shared by the tests of a binary (start-up costs about a second): started by the first
// test that asks for it, stopped after the last. Include it in one file of the test binary.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "support/postgres_server.hpp"

namespace sluice::test {

class shared_postgres final : public ::testing::Environment {
 public:
  static postgres_server& get() {
    if (!server_) server_ = std::make_unique<postgres_server>();
    return *server_;
  }
  void TearDown() override { server_.reset(); }

 private:
  static inline std::unique_ptr<postgres_server> server_;
};

namespace {
[[maybe_unused]] ::testing::Environment* const shared_postgres_environment =
    ::testing::AddGlobalTestEnvironment(new shared_postgres);
}  // namespace

}  // namespace sluice::test
