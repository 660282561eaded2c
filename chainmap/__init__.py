"""chainmap: industry-chain investment maps for China's specialised towns (专业镇产业链招商图谱)."""

__version__ = "0.1.0"
