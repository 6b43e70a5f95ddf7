// Asio and Beast, compiled once for the load generator and the raw broadcaster (separate compilation).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
