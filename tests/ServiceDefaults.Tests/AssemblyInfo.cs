// The messaging tests share one RabbitMQ and one message type; running them one at a time keeps them independent.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
