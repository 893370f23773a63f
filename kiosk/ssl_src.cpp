// Asio's TLS support compiled once for the kiosk (BOOST_ASIO_SEPARATE_COMPILATION); only the
// kiosk links OpenSSL.
#include <boost/asio/ssl/impl/src.hpp>
