using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Summit.Notifications;
using Summit.Tests.Api;
using Summit.Tests.Infrastructure;
using Summit.Tests.Notifications;

namespace Summit.Tests.Live;

/// <summary>
/// A Gateway in client mode against a separate silo process: a notification stored on the silo reaches the Gateway's
/// connections, and again after the silo restarted (the Gateway registers its observer with the new activation).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationPushClientModeTests(PostgresServer server)
{
    [Fact]
    public async Task A_notification_stored_on_a_silo_reaches_a_client_mode_gateway_and_survives_a_silo_restart()
    {
        await using var cluster = await ClientModeCluster.StartAsync(server, "notifypush");
        var gateway = cluster.Gateway;
        var grains = gateway.Services.GetRequiredService<IGrainFactory>();
        using var http = await gateway.SignedInAsync("secretariat");

        await using var secretariat = await PushClient.ConnectAsync(gateway, "secretariat");
        var first = await StoreAsync(grains, "before the restart");
        var pushed = await secretariat.WaitForAsync(n => n["id"]!.ToString() == first, "notification through the silo process");
        var list = await (await http.GetAsync("/api/me/notifications?limit=1000").ShouldBe(HttpStatusCode.OK)).ReadJsonAsync();
        Assert.True(JsonNode.DeepEquals(list["items"]!.AsArray().Single(n => n!["id"]!.ToString() == first), pushed));

        await cluster.RestartSiloAsync();

        // The new fan-out activation knows no Gateway until this one registers again (within a refresh period).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var stored = new List<string>();
        while (!secretariat.Received.Any(n => stored.Contains(n["id"]!.ToString())))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("No notification reached the gateway's connection after the silo restart.");
            try
            {
                stored.Add(await StoreAsync(grains, $"after the restart {stored.Count}"));
            }
            catch (Exception)
            {
                // The client may still be reconnecting to the new silo.
            }
            await Task.Delay(500);
        }
    }

    private static async Task<string> StoreAsync(IGrainFactory grains, string text)
    {
        var id = $"cluster{Guid.NewGuid():N}";
        await grains.GetGrain<INotificationInboxGrain>(NotificationKeys.Inbox(NotificationTarget.Secretariat)).Add([new Notification(
            id, NotificationTarget.Secretariat, GatewayFactory.Summit, NotificationKind.DueSoon, null, null, new LocalizedText(text, text),
            SystemClock.Instance.GetCurrentInstant())]);
        return id;
    }
}
