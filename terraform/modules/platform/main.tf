# The whole platform in one environment, composed from the other modules: the network, the
# environment's secrets, telemetry, the load balancer, PostgreSQL, Redis, the ECS cluster and one
# container service per service (services.tf). Environments differ only in this module's variables.

locals {
  name      = "booking-${var.environment}"
  namespace = "${local.name}.internal"
}

module "network" {
  source             = "../network"
  name               = local.name
  region             = var.region
  cidr_block         = var.network.cidr_block
  availability_zones = var.network.availability_zones
  nat_gateways       = var.network.nat_gateways
  namespace          = local.namespace
}

module "secrets" {
  source               = "../secrets"
  name                 = local.name
  recovery_window_days = var.deletion_protection ? 30 : 0
  generated = {
    patient-data-key = "PATIENT_DATA_KEY of scheduling: the key patient data is encrypted with"
    internal-secret  = "INTERNAL_SECRET of the gateway, scheduling and the provider subgraphs: proves calls between them"
  }
  # Each provider subgraph's connections: a JSON object of its connection variables (see its
  # README), e.g. {"CLINIQ_CONNECTIONS": "[{\"id\": …, \"baseUrl\": …, \"apiKey\": …}]"}.
  operated = {
    for name, variables in local.provider_connections :
    name => "Connections of ${name}: a JSON object with ${join(", ", variables)}"
  }
}

module "observability" {
  source             = "../observability"
  name               = local.name
  region             = var.region
  metrics_namespace  = "BookingPlatform/${var.environment}"
  log_retention_days = var.log_retention_days
}

module "load-balancer" {
  source              = "../load-balancer"
  name                = local.name
  vpc_id              = module.network.vpc_id
  vpc_cidr_block      = module.network.vpc_cidr_block
  public_subnet_ids   = module.network.public_subnet_ids
  target_port         = 4000
  domain_name         = var.domain_name
  route53_zone_id     = var.route53_zone_id
  deletion_protection = var.deletion_protection
}

module "postgres" {
  source     = "../postgres"
  name       = local.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  client_security_group_ids = {
    gateway    = module.gateway.security_group_id
    scheduling = module.scheduling.security_group_id
  }
  kms_key_arn              = module.secrets.kms_key_arn
  instance_class           = var.postgres.instance_class
  allocated_storage_gb     = var.postgres.allocated_storage_gb
  max_allocated_storage_gb = var.postgres.max_allocated_storage_gb
  multi_az                 = var.postgres.multi_az
  backup_retention_days    = var.postgres.backup_retention_days
  deletion_protection      = var.deletion_protection
}

module "redis" {
  source     = "../redis"
  name       = local.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  client_security_group_ids = {
    gateway    = module.gateway.security_group_id
    scheduling = module.scheduling.security_group_id
  }
  kms_key_arn = module.secrets.kms_key_arn
  node_type   = var.redis.node_type
  nodes       = var.redis.nodes
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

locals {
  # What every container service shares.
  platform = {
    name                    = local.name
    region                  = var.region
    vpc_id                  = module.network.vpc_id
    private_subnet_ids      = module.network.private_subnet_ids
    namespace_id            = module.network.namespace_id
    namespace               = module.network.namespace
    cluster_name            = aws_ecs_cluster_capacity_providers.this.cluster_name
    fargate_spot            = var.fargate_spot
    image_repository_prefix = var.image_repository_prefix
    image_tag               = var.image_tag
    kms_key_arn             = module.secrets.kms_key_arn
    log_retention_days      = var.log_retention_days
    collector               = module.observability.collector
    # The standard OpenTelemetry variables: to the collector beside each service.
    environment = {
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
      OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
      OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
      OTEL_TRACES_SAMPLER_ARG     = tostring(var.trace_sample_ratio)
    }
  }

  # Each provider subgraph reads these variables from its connections secret.
  provider_connections = {
    # PROVIDER_CHANGES_DATABASE_URL: the change log every replica shares (changes at the clinic).
    provider-cliniq = ["CLINIQ_CONNECTIONS", "PROVIDER_CHANGES_DATABASE_URL"]
    provider-fhir   = ["FHIR_CONNECTIONS", "PROVIDER_CHANGES_DATABASE_URL", "FHIR_PUSH_SECRET"]
    provider-rivta  = ["RIVTA_CONNECTIONS", "RIVTA_RESERVATIONS_DATABASE_URL"]
    provider-smart  = ["SMART_CONNECTIONS", "PROVIDER_CHANGES_DATABASE_URL"]
    provider-square = ["SQUARE_CONNECTIONS", "SQUARE_RESERVATIONS_DATABASE_URL", "PROVIDER_CHANGES_DATABASE_URL"]
  }
  internal_secret = { INTERNAL_SECRET = { arn = module.secrets.secret_arns["internal-secret"] } }
  connection_secrets = {
    for name, variables in local.provider_connections : name => merge(local.internal_secret, {
      for variable in variables : variable => {
        arn      = module.secrets.secret_arns[name]
        json_key = variable
      }
    })
  }

  # The simulators keep their state in memory: exactly one task each.
  simulator_capacity = { cpu = 512, memory = 1024, min_count = 1, max_count = 1 }
}
