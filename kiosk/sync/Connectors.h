#pragma once
// Constructors of each service's connector (make_connectors picks them).
#include <memory>

#include "sync/Connector.h"

namespace fd {
std::unique_ptr<Connector> make_pretix(const PretixSettings& s, const ConnectorOptions& o);
std::unique_ptr<Connector> make_eventbrite(const EventbriteSettings& s, const ConnectorOptions& o);
std::unique_ptr<Connector> make_meetup(const MeetupSettings& s, const ConnectorOptions& o);
std::unique_ptr<Connector> make_luma(const LumaSettings& s, const ConnectorOptions& o);
std::unique_ptr<Connector> make_webhook(const WebhookSettings& s, const ConnectorOptions& o);
}  // namespace fd
