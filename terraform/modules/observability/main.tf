# Traces and metrics in AWS: every task runs the AWS Distro for OpenTelemetry collector beside its
# service (the compose stack's otel-collector), which receives OTLP on localhost and exports traces
# to X-Ray and metrics to CloudWatch (embedded metric format). The collector's configuration is an
# SSM parameter; the policy is what a task needs to export, and nothing more.

resource "aws_cloudwatch_log_group" "metrics" {
  name              = "/${var.name}/metrics"
  retention_in_days = var.log_retention_days
}

resource "aws_ssm_parameter" "collector_config" {
  name        = "/${var.name}/otel-collector"
  description = "AWS Distro for OpenTelemetry collector configuration of ${var.name}"
  type        = "String"
  value = yamlencode({
    receivers = {
      otlp = {
        protocols = {
          grpc = { endpoint = "127.0.0.1:4317" }
          http = { endpoint = "127.0.0.1:4318" }
        }
      }
    }
    processors = {
      memory_limiter = { check_interval = "1s", limit_percentage = 80, spike_limit_percentage = 20 }
      batch          = {}
      resourcedetection = {
        detectors = ["env", "ecs"]
      }
    }
    exporters = {
      awsxray = { region = var.region }
      awsemf = {
        region          = var.region
        namespace       = var.metrics_namespace
        log_group_name  = aws_cloudwatch_log_group.metrics.name
        log_stream_name = "{TaskId}"
      }
    }
    service = {
      pipelines = {
        traces = {
          receivers  = ["otlp"]
          processors = ["memory_limiter", "resourcedetection", "batch"]
          exporters  = ["awsxray"]
        }
        metrics = {
          receivers  = ["otlp"]
          processors = ["memory_limiter", "resourcedetection", "batch"]
          exporters  = ["awsemf"]
        }
      }
    }
  })
}

data "aws_iam_policy_document" "export" {
  statement {
    sid = "Traces"
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ]
    # X-Ray's actions have no resource-level permissions.
    resources = ["*"]
  }

  statement {
    sid       = "Metrics"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.metrics.arn}:*"]
  }
}

resource "aws_iam_policy" "export" {
  name        = "${var.name}-telemetry-export"
  description = "Export traces to X-Ray and metrics to ${aws_cloudwatch_log_group.metrics.name}"
  policy      = data.aws_iam_policy_document.export.json
}
