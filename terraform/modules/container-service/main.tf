# One service of the platform on ECS Fargate: its image from ECR, in the private subnets, reachable
# on its port only from the security groups of its callers, registered as `<name>.<namespace>`,
# optionally behind the load balancer, scaled on CPU between its bounds. Beside it runs the
# OpenTelemetry collector it sends its traces and metrics to. Its roles may read exactly its own
# secrets and write exactly its own logs and telemetry.

locals {
  prefix      = "${var.platform.name}-${var.name}"
  collector   = "otel-collector"
  secret_arns = distinct([for secret in values(var.secrets) : secret.arn])
  # ECS replaces a task whose container check fails, so that check is liveness: readiness depends
  # on other services (the gateway's on every subgraph), and one of them failing must not make ECS
  # replace every task that calls it. Readiness gates the load balancer's traffic instead (which
  # routes to every target when none is ready).
  liveness_probe = "fetch('http://127.0.0.1:${var.port}/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

data "aws_ecr_repository" "this" {
  name = "${var.platform.image_repository_prefix}/${var.name}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/${var.platform.name}/${var.name}"
  retention_in_days = var.platform.log_retention_days
}

data "aws_iam_policy_document" "ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# What ECS needs to start the task: the image, the log stream, the secrets, the collector's config.
resource "aws_iam_role" "execution" {
  name               = "${local.prefix}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "Registry"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "Image"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [data.aws_ecr_repository.this.arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "CollectorConfig"
    actions   = ["ssm:GetParameters"]
    resources = [var.platform.collector.config_parameter_arn]
  }

  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKey"
      actions   = ["kms:Decrypt"]
      resources = [var.platform.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-task"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# What the running task may do: export its telemetry. The services call no other AWS API.
resource "aws_iam_role" "task" {
  name               = "${local.prefix}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

resource "aws_iam_role_policy_attachment" "telemetry" {
  role       = aws_iam_role.task.name
  policy_arn = var.platform.collector.policy_arn
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.prefix
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.capacity.cpu
  memory                   = var.capacity.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = var.name
      image                  = "${data.aws_ecr_repository.this.repository_url}:${var.platform.image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      portMappings           = [{ containerPort = var.port, protocol = "tcp" }]
      environment = [
        for key, value in merge(var.platform.environment, var.environment, {
          PORT              = tostring(var.port)
          OTEL_SERVICE_NAME = var.name
        }) : { name = key, value = value }
      ]
      secrets = [
        for key, secret in var.secrets : {
          name      = key
          valueFrom = secret.json_key == null ? secret.arn : "${secret.arn}:${secret.json_key}::"
        }
      ]
      healthCheck = {
        command     = ["CMD", "node", "-e", local.liveness_probe]
        interval    = 10
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
      dependsOn        = [{ containerName = local.collector, condition = "START" }]
      linuxParameters  = { initProcessEnabled = true }
      stopTimeout      = 30
      logConfiguration = local.log_configuration
    },
    {
      name             = local.collector
      image            = var.platform.collector.image
      essential        = false
      secrets          = [{ name = "AOT_CONFIG_CONTENT", valueFrom = var.platform.collector.config_parameter_arn }]
      logConfiguration = local.log_configuration
    },
  ])
}

locals {
  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = var.platform.region
      awslogs-stream-prefix = var.name
    }
  }
}

resource "aws_security_group" "this" {
  name        = local.prefix
  description = "${var.name} of ${var.platform.name}: its port from its callers only"
  vpc_id      = var.platform.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "callers" {
  for_each                     = var.callers
  security_group_id            = aws_security_group.this.id
  description                  = "${var.name} from ${each.key}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
}

# Out: other services, the database and cache, AWS APIs and the providers' systems.
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  description       = "Anywhere"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_service_discovery_service" "this" {
  name = var.name

  dns_config {
    namespace_id   = var.platform.namespace_id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.platform.cluster_name
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.capacity.min_count
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  health_check_grace_period_seconds  = var.target_group_arn == null ? null : 60
  # An apply (a deployment) ends when the new tasks are healthy, or fails, rolled back.
  wait_for_steady_state = true

  capacity_provider_strategy {
    capacity_provider = var.platform.fargate_spot ? "FARGATE_SPOT" : "FARGATE"
    weight            = 1
  }

  network_configuration {
    subnets          = var.platform.private_subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this.arn
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arn == null ? [] : [var.target_group_arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = var.name
      container_port   = var.port
    }
  }

  # Autoscaling owns the count between the bounds.
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${var.platform.cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.capacity.min_count
  max_capacity       = var.capacity.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  count              = var.capacity.max_count > var.capacity.min_count ? 1 : 0
  name               = "${local.prefix}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.capacity.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
