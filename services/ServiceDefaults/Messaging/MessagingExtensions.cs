using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Folio.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit 8.4 on RabbitMQ: durable queues named after the service, publisher confirms, retries with
    /// backoff and then the <c>_error</c> queue; plus the outbox relay. Needs <see cref="Data.DatabaseExtensions.AddFolioDatabase"/>.
    /// </summary>
    public static IHostApplicationBuilder AddFolioMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection(MessagingOptions.Section));
        var serviceName = builder.Environment.ApplicationName.Replace("Folio.", "", StringComparison.Ordinal).Replace(".Api", "", StringComparison.Ordinal);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName.ToLowerInvariant(), includeNamespace: false));
            configureConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(options.Host, options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.PublisherConfirmation = true;
                });
                // The default (2 × cores) starves consumers that mostly wait on PostgreSQL on small machines.
                rabbit.PrefetchCount = Math.Max(32, Environment.ProcessorCount * 4);
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddSingleton<IOutbox, PostgresOutbox>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
