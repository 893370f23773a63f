// The one main() of each test executable.
#define BOOST_TEST_MODULE cylch
#include <boost/test/unit_test.hpp>
