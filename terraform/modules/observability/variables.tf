variable "name" {
  description = "Prefix of the resources' names, e.g. booking-dev."
  type        = string
}

variable "region" {
  description = "AWS region the collector exports to."
  type        = string
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the services' metrics, e.g. BookingPlatform/dev."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the metrics' log events."
  type        = number
}

variable "collector_image" {
  description = "The AWS Distro for OpenTelemetry collector image run beside every service."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
}
