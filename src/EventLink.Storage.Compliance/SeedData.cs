using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>A realistic mixed input: profiles from two tools, events from five, duplicates, late and unmatched records, bad records.</summary>
public static class SeedData
{
    /// <summary>Creates the seed records, in the same order every time.</summary>
    /// <returns>A new list of the records.</returns>
    public static IReadOnlyList<IngestRecord> Records()
    {
        var records = new List<IngestRecord>
        {
            StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1), name: "Ada", plan: "team", userId: "u-1"),
            HubSpotContact(1, "Ada@Example.com", Day(2026, 1, 3), name: "Ada Lovelace", lifecycle: "customer"),
            StripeCustomer("cus_2", "bob@example.com", Day(2026, 1, 2), name: "Bob"),
            HubSpotContact(2, "carol@example.com", Day(2026, 1, 4), name: "Carol", lifecycle: "lead"),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 15), 4900),
            StripeCharge("ch_2", "ada@example.com", Day(2026, 2, 22), 9900),
            StripeCharge("ch_3", "ada@example.com", Day(2026, 3, 10), 2900),
            StripeCharge("ch_4", "bob@example.com", Day(2026, 2, 1), 1500),
            StripeCharge("ch_5", null, Day(2026, 2, 2), 700, userId: "u-1"),
            DealStage("d_1", "carol@example.com", Day(2026, 2, 5), "qualified"),
            MarketoActivity("m_1", "carol@example.com", Day(2026, 2, 6)),
            IntercomConversation("ic_1", "bob@example.com", Day(2026, 2, 7), subject: "refund?"),
            ZendeskTicket("zd_1", "ada@example.com", Day(2026, 3, 11), subject: "charged twice"),
            ZendeskTicket("zd_2", "dave@example.com", Day(2026, 3, 12), subject: "who am I"),
            StripeCharge("ch_6", "null", Day(2026, 3, 13), 100),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 15), 4900),
            new IngestRecord("stripe", "charge", "{\"id\": \"ch_bad\", \"created\": "),
            new IngestRecord("stripe", "refund", """{"id":"re_1","created":1767225600}"""),
        };
        return records;
    }
}
